package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/loupe-review/loupe/review"
)

func cmdUserAdd(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "user add", "user add --email E --role reviewer,lead [--password-stdin]")
	c.registerData(fs, e)
	email := fs.String("email", "", "the person's email address (required)")
	roleList := fs.String("role", "", "comma-separated roles: reviewer, lead, wellbeing, admin (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *email == "" || *roleList == "" {
		return fmt.Errorf("%w: --email and --role are required", errUsage)
	}
	roles, err := review.ParseRoles(*roleList)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return fmt.Errorf("%w: --password-stdin given but standard input is empty", errUsage)
		}
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	u, pw, err := a.accounts.CreateUser(ctx, "cli", *email, roles, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %s (%s)\n", printable(u.Email), u.Roles)
	if !*fromStdin {
		fmt.Fprintf(e.stdout, "password: %s\n", pw)
	}
	fmt.Fprintln(e.stdout, "At first sign-in they set up two-step verification with an authenticator app.")
	return nil
}

func cmdUserList(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "user list", "user list")
	c.registerData(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	users, err := a.db.FindUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLES\t2FA\tSTATUS")
	for _, u := range users {
		twofa, st := "not enrolled", "active"
		if u.Enrolled() {
			twofa = "enrolled"
		}
		if u.Disabled {
			st = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", printable(u.Email), u.Roles, twofa, st)
	}
	return tw.Flush()
}

func cmdUserDisable(ctx context.Context, e env) error {
	yes := true
	return updateUserByEmail(ctx, e, "user disable", review.UserUpdate{Disabled: &yes}, "disabled %s and signed them out everywhere")
}

func cmdUserReset2FA(ctx context.Context, e env) error {
	return updateUserByEmail(ctx, e, "user reset-2fa", review.UserUpdate{ResetTOTP: true},
		"removed the authenticator and recovery codes of %s; they set up a new one at next sign-in")
}

// updateUserByEmail is the shape of the commands that change one person.
func updateUserByEmail(ctx context.Context, e env, name string, upd review.UserUpdate, done string) error {
	var c config
	fs := newFlags(e, name, name+" EMAIL")
	c.registerData(fs, e)
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give exactly one email", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.db.FindUserByEmail(ctx, args[0])
	if err != nil {
		return fmt.Errorf("no person with email %s", args[0])
	}
	if _, err := a.accounts.UpdateUser(ctx, review.User{Email: "cli"}, u.ID, upd); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, done+"\n", printable(u.Email))
	return nil
}
