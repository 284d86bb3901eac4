package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/loupe-review/loupe/review"
)

func cmdQueueList(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "queue list", "queue list")
	c.registerData(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	qs, err := a.db.FindQueues(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tWAITING\tREVIEWS\tSTATUS\tREVIEWERS")
	for _, q := range qs {
		st, err := a.db.FindQueueStats(ctx, q, time.Now())
		if err != nil {
			return err
		}
		members, err := a.db.FindMembers(ctx, q.ID)
		if err != nil {
			return err
		}
		status := "active"
		if q.Paused {
			status = "paused"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\n", printable(q.Name), st.Depth, q.RequiredReviews, status, len(members))
	}
	return tw.Flush()
}

func cmdQueueAdd(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "queue add", "queue add NAME [--two-person]")
	c.registerData(fs, e)
	two := fs.Bool("two-person", false, "violating verdicts need a second reviewer's agreement")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give exactly one queue name", errUsage)
	}
	q := review.NewQueue(args[0])
	if *two {
		q.RequiredReviews = 2
	}
	if err := q.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.db.CreateQueue(ctx, q, review.AuditEvent{Actor: "cli", Action: review.ActionQueueCreated, Target: "queue:" + q.Name}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added queue %s\n", printable(q.Name))
	return nil
}

func cmdQueueAssign(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "queue assign", "queue assign --queue NAME --email E")
	c.registerData(fs, e)
	name := fs.String("queue", "", "queue name (required)")
	email := fs.String("email", "", "the reviewer's email (required)")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *name == "" || *email == "" {
		return fmt.Errorf("%w: --queue and --email are required", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	q, err := a.db.FindQueueByName(ctx, *name)
	if err != nil {
		return fmt.Errorf("no queue named %s", *name)
	}
	u, err := a.db.FindUserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("no person with email %s", *email)
	}
	ev := review.AuditEvent{Actor: "cli", Action: review.ActionQueueMember, Target: "queue:" + q.Name, Details: map[string]string{"user": u.Email, "member": "true"}}
	if err := a.db.SetMember(ctx, q.ID, u.ID, true, ev); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "assigned %s to %s\n", printable(u.Email), printable(q.Name))
	return nil
}
