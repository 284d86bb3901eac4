package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

// demoAccount is one seeded person, as printed for a newcomer.
type demoAccount struct {
	ID                          int64 // set by benchAccount
	Email, Password, TOTPSecret string
	Roles                       review.Roles
}

func cmdDemo(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "demo", "demo [--addr A] [--data DIR]")
	c.registerServe(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if !flagSet(fs, "data") && e.getenv("LOUPE_DATA") == "" {
		dir, err := os.MkdirTemp("", "loupe-demo-")
		if err != nil {
			return err
		}
		c.Data = dir
	}
	if err := c.validate(); err != nil {
		return err
	}
	log, err := c.logger(e)
	if err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	accounts, err := seedDemo(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Seeding three weeks of past reviewing for the wellbeing pages ...")
	if err := seedDemoActivity(ctx, a, time.Now()); err != nil {
		return err
	}
	if err := seedDemoItems(ctx, a, time.Now()); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	printDemo(e, "http://"+ln.Addr().String(), c.Data, accounts)
	return serve(ctx, c, a, ln, log)
}

// seedDemo creates one account per role, already enrolled in TOTP: 2FA is
// never optional, so the secrets are printed for an authenticator app.
func seedDemo(ctx context.Context, a *app) ([]demoAccount, error) {
	users, err := a.db.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		return nil, fmt.Errorf("the demo needs a fresh data directory, and this one already has people in it")
	}
	var out []demoAccount
	for _, r := range review.AllRoles {
		acct := demoAccount{Email: string(r) + "@demo.example", Roles: review.NewRoles(r)}
		u, pw, err := a.accounts.CreateUser(ctx, "demo", acct.Email, acct.Roles, "")
		if err != nil {
			return nil, err
		}
		if acct.TOTPSecret, err = secret.NewTOTPSecret(rand.Reader); err != nil {
			return nil, err
		}
		codes, err := secret.RecoveryCodes(rand.Reader)
		if err != nil {
			return nil, err
		}
		hashes := make([]string, len(codes))
		for i, c := range codes {
			hashes[i] = secret.Digest(c)
		}
		ev := review.AuditEvent{Actor: "demo", Action: review.ActionTOTPEnrolled, Target: "user:" + u.Email}
		if err := a.accounts.Enroll(ctx, u.ID, acct.TOTPSecret, 0, hashes, ev); err != nil {
			return nil, err
		}
		acct.Password = pw
		out = append(out, acct)
	}
	return out, nil
}

func printDemo(e env, url, dir string, accounts []demoAccount) {
	fmt.Fprintf(e.stdout, "Loupe demo at %s\nData directory: %s\n\n", url, dir)
	fmt.Fprintln(e.stdout, "Sign in with one of these accounts. Add its TOTP secret to an authenticator app")
	fmt.Fprintln(e.stdout, "(type the secret, or open the otpauth link on a phone); every sign-in asks for a code.")
	for _, a := range accounts {
		fmt.Fprintf(e.stdout, "\n  %s (%s)\n    password:    %s\n    TOTP secret: %s\n    otpauth URI: %s\n",
			a.Email, a.Roles, a.Password, a.TOTPSecret, secret.TOTPURI(a.TOTPSecret, a.Email))
	}
	fmt.Fprintln(e.stdout, "\nPress Ctrl+C to stop.")
}
