package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/loupe-review/loupe/review"
)

// cmdPurge deletes the media the retention policy lets go (or, with
// --dry-run, lists it): crypto-shredding plus removal of the files, never
// of held media, every purge audited.
func cmdPurge(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "purge", "purge [--dry-run] [--data DIR]")
	c.registerData(fs, e)
	dryRun := fs.Bool("dry-run", false, "list what would be deleted, and change nothing")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.purge(ctx, time.Now(), *dryRun)
	for _, it := range rep.Items {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%d media\n", it.ItemID, printable(it.ExternalID), printable(it.Why), len(it.MediaIDs))
	}
	verb := "purged"
	if rep.DryRun {
		verb = "would purge"
	}
	fmt.Fprintf(e.stdout, "%s %d media of %d items", verb, rep.Media, len(rep.Items))
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "; %d items skipped (a hold or report appeared)", len(rep.Skipped))
	}
	fmt.Fprintln(e.stdout)
	return err
}

// purge runs the retention policy from the settings at now.
func (a *app) purge(ctx context.Context, now time.Time, dryRun bool) (review.PurgeReport, error) {
	r, err := review.LoadRetention(ctx, a.db)
	if err != nil {
		return review.PurgeReport{DryRun: dryRun}, err
	}
	return review.Purge(ctx, a.db, a.vault, r, now, dryRun)
}

// purgeAndLog is the hourly purge of a serving Loupe.
func purgeAndLog(ctx context.Context, a *app, log *slog.Logger) {
	rep, err := a.purge(ctx, time.Now(), false)
	if err != nil && ctx.Err() == nil {
		log.Error("retention purge", "err", err)
	}
	if len(rep.Items) > 0 || len(rep.Skipped) > 0 {
		log.Info("retention purge", "items", len(rep.Items), "media", rep.Media, "skipped", len(rep.Skipped))
	}
}
