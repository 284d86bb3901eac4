package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/loupe-review/loupe/review"
)

func cmdAuditVerify(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "audit verify", "audit verify [--data DIR]")
	c.registerData(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := openApp(ctx, c.Data, e)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.db.VerifyAudit(ctx)
	var br *review.ChainBreak
	if errors.As(err, &br) {
		return fmt.Errorf("%d entries intact before the break; %w", n, br)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d entries\n", n)
	return nil
}
