package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/loupe-review/loupe/review"
)

func cmdAuditVerify(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "audit verify", "audit verify [--head ID:HASH] [--data DIR]")
	c.registerData(fs, e)
	anchor := headFlag(fs)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	head, err := a.db.VerifyAudit(ctx, *anchor)
	var br *review.ChainBreak
	if errors.As(err, &br) {
		return fmt.Errorf("%d entries intact before the break; %w", head.ID, br)
	}
	if err != nil {
		return err
	}
	waiting, altered, err := auditPending(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d entries, head %s; %d entries waiting to be chained\n", head.ID, head, waiting)
	if !anchor.IsZero() {
		fmt.Fprintf(e.stdout, "anchored head %s is in the chain, unchanged\n", anchor)
	}
	if altered != "" {
		return errors.New(altered)
	}
	return nil
}

// auditPending counts the entries waiting to be chained (PostgreSQL), and
// describes the pending entries found altered before they were chained
// ("" when none were).
func auditPending(ctx context.Context, a *app) (waiting int64, altered string, err error) {
	waiting, n, err := a.db.PendingAudit(ctx)
	if n > 0 {
		altered = fmt.Sprintf("%d audit entries were changed in the database while they waited to be chained: the chain records what was found in their place (action %s)", n, review.ActionAuditAltered)
	}
	return waiting, altered, err
}

// cmdAuditHead prints the newest entry as ID:HASH, for operators to keep
// somewhere the database's writers cannot reach and later pass to
// `audit verify --head`.
func cmdAuditHead(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "audit head", "audit head [--data DIR]   (prints ID:HASH for audit verify --head)")
	c.registerData(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	head, err := a.db.AuditHead(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, head)
	return nil
}

// headFlag adds --head, an anchored chain head, to fs.
func headFlag(fs *flag.FlagSet) *review.ChainHead {
	var h review.ChainHead
	fs.Func("head", "`ID:HASH` as `loupe audit head` printed it earlier: also check that the chain still holds that entry, unchanged (catches deleted newest entries)", func(s string) error {
		var err error
		h, err = review.ParseChainHead(s)
		return err
	})
	return &h
}

// logAuditHead logs the chain's head, so that a log shipper keeps a copy
// out of reach of whoever can write the database.
func logAuditHead(ctx context.Context, a *app, log *slog.Logger) {
	head, err := a.db.AuditHead(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("audit head", "err", err)
		}
		return
	}
	log.Info("audit chain head", "head", head.String())
}
