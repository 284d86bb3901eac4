package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/loupe-review/loupe/review"
)

func cmdTokenAdd(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "token add", "token add --name N --source S")
	c.registerData(fs, e)
	name := fs.String("name", "", "a name for the token, e.g. the integration using it (required)")
	source := fs.String("source", "", "the platform or surface whose items the token sends, or the partner it serves (required; created if new)")
	scope := fs.String("scope", review.ScopeIngest, "ingest; hashlist:NAME for a partner that synchronises that list; metrics for a Prometheus server reading GET /metrics")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *name == "" || *source == "" {
		return fmt.Errorf("%w: --name and --source are required", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	bound, export := *scope, ""
	if listName, ok := strings.CutPrefix(*scope, review.ScopeHashlist); ok {
		// Bound to the list's id, so that renaming lists never moves the token.
		l, err := a.db.FindHashListByName(ctx, listName)
		if err != nil {
			return fmt.Errorf("no hash list named %s", listName)
		}
		bound, export = review.ListScope(l), fmt.Sprintf("It exports GET /api/v1/hashlists/%d/export (list %s).\n", l.ID, printable(l.Name))
	} else if *scope != review.ScopeIngest && *scope != review.ScopeMetrics {
		return fmt.Errorf("%w: --scope must be ingest, hashlist:NAME or metrics", errUsage)
	}
	t, raw, err := review.NewToken(ctx, a.db, rand.Reader, "cli", *name, *source, bound)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %s for source %s:\n%s\nIt is shown only now; Loupe keeps only its hash.\n%s", printable(t.Name), printable(t.Source), raw, export)
	return nil
}

func cmdTokenList(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "token list", "token list")
	c.registerData(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	tokens, err := a.db.FindTokens(ctx)
	if err != nil {
		return err
	}
	lists, err := a.db.FindHashLists(ctx)
	if err != nil {
		return err
	}
	listNames := map[string]string{}
	for _, l := range lists {
		listNames[review.ListScope(l)] = " (" + printable(l.Name) + ")"
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSOURCE\tSCOPE\tCREATED\tLAST USED\tSTATUS")
	for _, t := range tokens {
		status, used := "active", "never"
		if t.Revoked() {
			status = "revoked " + t.RevokedAt.Format("2006-01-02")
		}
		if !t.LastUsedAt.IsZero() {
			used = t.LastUsedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", printable(t.Name), printable(t.Source), printable(t.Scope)+listNames[t.Scope], t.CreatedAt.Format("2006-01-02"), used, status)
	}
	return tw.Flush()
}

func cmdTokenRevoke(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "token revoke", "token revoke NAME")
	c.registerData(fs, e)
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give exactly one token name", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	ev := review.AuditEvent{Actor: "cli", Action: review.ActionTokenRevoked, Target: "token:" + args[0]}
	if err := a.db.RevokeToken(ctx, args[0], ev); err != nil {
		return fmt.Errorf("no active token named %s", args[0])
	}
	fmt.Fprintf(e.stdout, "revoked token %s\n", args[0])
	return nil
}
