package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
)

func cmdHashlistCreate(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "hashlist create", "hashlist create NAME --kind block|allow [--category C] [--threshold 31]")
	c.registerData(fs, e)
	kind := fs.String("kind", "block", "block (known harmful) or allow (known false positives)")
	category := fs.String("category", "", "category shown with block matches")
	threshold := fs.Int("threshold", review.DefaultThreshold, "PDQ distance that counts as a match")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give exactly one list name", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	l, err := a.hashes.Create(ctx, "cli", review.HashList{Name: args[0], Kind: *kind, Category: *category, Threshold: *threshold, Enabled: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s list %s\n", l.Kind, printable(l.Name))
	return nil
}

// parseRows reads a CSV or JSON Lines file, by --format or by extension.
func parseRows(path, format string) ([]hashlist.Row, []hashlist.RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(path), ".")
	}
	switch format {
	case "csv":
		rows, errs := hashlist.ParseCSV(f)
		return rows, errs, nil
	case "jsonl", "json", "ndjson":
		rows, errs := hashlist.ParseJSONL(f)
		return rows, errs, nil
	}
	return nil, nil, fmt.Errorf("%w: say --format csv or --format jsonl", errUsage)
}

func cmdHashlistImport(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "hashlist import", "hashlist import NAME FILE [--dry-run] [--format csv|jsonl]")
	c.registerData(fs, e)
	dry := fs.Bool("dry-run", false, "report accepted and rejected rows; change nothing")
	format := fs.String("format", "", "csv or jsonl (default: from the file name)")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 2 {
		return fmt.Errorf("%w: give a list name and a file", errUsage)
	}
	rows, rowErrs, err := parseRows(args[1], *format)
	if err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	l, err := a.db.FindHashListByName(ctx, args[0])
	if err != nil {
		return fmt.Errorf("no hash list named %s", args[0])
	}
	if err := hashlist.DryRunReport(e.stdout, rows, rowErrs); err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		return fmt.Errorf("%d rows rejected: nothing was imported", len(rowErrs))
	}
	if *dry {
		fmt.Fprintln(e.stdout, "dry run: nothing was imported")
		return nil
	}
	n, err := a.hashes.Import(ctx, "cli", l, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported %d entries into %s\n", n, printable(l.Name))
	return nil
}

func cmdHashlistExport(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "hashlist export", "hashlist export NAME --format csv|jsonl [--since V]")
	c.registerData(fs, e)
	format := fs.String("format", "csv", "csv or jsonl")
	since := fs.Int64("since", 0, "only changes after this list version, retractions included")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give exactly one list name", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	l, err := a.db.FindHashListByName(ctx, args[0])
	if err != nil {
		return fmt.Errorf("no hash list named %s", args[0])
	}
	entries, err := a.hashes.Export(ctx, l, *since)
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return hashlist.WriteCSV(e.stdout, entries)
	case "jsonl":
		return hashlist.WriteJSONL(e.stdout, entries)
	}
	return fmt.Errorf("%w: --format must be csv or jsonl", errUsage)
}
