package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/loupe-review/loupe/review"
)

// cmdDoctor checks a data directory: migrations current, foreign keys and
// integrity, every media object present and decryptable, the audit chain.
func cmdDoctor(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "doctor", "doctor [--head ID:HASH] [--data DIR]")
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
	problems, err := a.db.Check(ctx)
	if err != nil {
		return err
	}
	objects, err := a.db.MediaObjects(ctx)
	if err != nil {
		return err
	}
	for _, o := range objects {
		if _, err := review.ReadObject(ctx, a.vault, o.MediaID, o.Kind, o.StoredObject); err != nil {
			problems = append(problems, fmt.Sprintf("media %s %s: %v", o.MediaID, o.Kind, err))
		}
	}
	head, err := a.db.VerifyAudit(ctx, *anchor)
	var br *review.ChainBreak
	if errors.As(err, &br) {
		problems = append(problems, br.Error())
	} else if err != nil {
		return err
	}
	if _, altered, err := auditPending(ctx, a); err != nil {
		return err
	} else if altered != "" {
		problems = append(problems, altered)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stdout, "problem: "+printable(p))
		}
		return fmt.Errorf("%d problems found in %s", len(problems), c.Data)
	}
	fmt.Fprintf(e.stdout, "%s is healthy: schema current, %d media objects decrypt, audit chain of %d entries intact\n", c.Data, len(objects), head.ID)
	return nil
}
