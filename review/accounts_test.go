package review_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/storage/vault"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

const password = "correct horse battery staple"

// newAccounts returns the account service on a real database with one
// enrolled reviewer, and the clock that drives it.
func newAccounts(t *testing.T) (*review.Accounts, *clock, review.User, string) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "loupe.db"), c.Now, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v, err := vault.Open(filepath.Join(t.TempDir(), "media"), bytes.Repeat([]byte{3}, 32), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	a := &review.Accounts{Users: db, Audit: db, Attempts: db, Secrets: v, Policy: review.DefaultSignInPolicy,
		Hashing: review.NewSlots(2, time.Minute), Codes: review.NewSlots(2, time.Minute), Now: c.Now, Random: rand.Reader}
	u, _, err := a.CreateUser(context.Background(), "test", "ana@example.org", review.Roles{review.RoleReviewer}, password)
	if err != nil {
		t.Fatal(err)
	}
	sec, _ := secret.NewTOTPSecret(rand.Reader)
	code, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.ConfirmEnrollment(context.Background(), u.ID, sec, code, "ip"); err != nil {
		t.Fatal(err)
	}
	return a, c, u, sec
}

func TestSecondFactorCodes(t *testing.T) {
	cases := []struct {
		name   string
		offset time.Duration // of the code's time from the server's
		ok     bool
	}{
		{"current", 0, true},
		{"one step behind", -30 * time.Second, true},
		{"one step ahead", 30 * time.Second, true},
		{"two steps behind", -60 * time.Second, false},
		{"two steps ahead", 60 * time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, c, u, sec := newAccounts(t)
			c.t = c.t.Add(5 * time.Minute) // well past the enrollment step
			code, _ := secret.TOTPCode(sec, c.t.Add(tc.offset))
			_, err := a.CheckSecondFactor(context.Background(), u.ID, code, "ip")
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestSecondFactorReplayRefused(t *testing.T) {
	a, c, u, sec := newAccounts(t)
	ctx := context.Background()
	// The code used to enroll is already spent.
	enrollCode, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.CheckSecondFactor(ctx, u.ID, enrollCode, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("enrollment code reused: %v", err)
	}
	c.t = c.t.Add(30 * time.Second)
	code, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.CheckSecondFactor(ctx, u.ID, code, "ip"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CheckSecondFactor(ctx, u.ID, code, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("same code twice: %v", err)
	}
	// Nor is an older code (one step of skew) accepted after a newer one.
	older, _ := secret.TOTPCode(sec, c.t.Add(-30*time.Second))
	if _, err := a.CheckSecondFactor(ctx, u.ID, older, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("older code after a newer one: %v", err)
	}
}

func TestRecoveryCodeIsSingleUse(t *testing.T) {
	a, c, _, _ := newAccounts(t)
	ctx := context.Background()
	u2, _, _ := a.CreateUser(ctx, "test", "bo@example.org", review.Roles{review.RoleLead}, password)
	sec, _ := secret.NewTOTPSecret(rand.Reader)
	code, _ := secret.TOTPCode(sec, c.t)
	codes, err := a.ConfirmEnrollment(ctx, u2.ID, sec, code, "ip")
	if err != nil || len(codes) != 10 {
		t.Fatalf("%d codes, %v", len(codes), err)
	}
	used, err := a.CheckSecondFactor(ctx, u2.ID, codes[3], "ip")
	if err != nil || !used {
		t.Fatalf("recovery code: used=%v err=%v", used, err)
	}
	if _, err := a.CheckSecondFactor(ctx, u2.ID, codes[3], "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("recovery code reused: %v", err)
	}
	if n, _ := a.Users.CountRecoveryCodes(ctx, u2.ID); n != 9 {
		t.Errorf("%d codes left, want 9", n)
	}
}

func TestLockoutAndExpiry(t *testing.T) {
	a, c, u, sec := newAccounts(t)
	ctx := context.Background()
	for i := range 5 {
		if _, err := a.CheckPassword(ctx, u.Email, "wrong password", "ip"+string(rune('a'+i))); !errors.Is(err, review.ErrUnauthorized) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	if _, err := a.CheckPassword(ctx, u.Email, password, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Fatalf("right password while locked: %v", err)
	}
	code, _ := secret.TOTPCode(sec, c.t.Add(time.Minute))
	c.t = c.t.Add(time.Minute)
	if _, err := a.CheckSecondFactor(ctx, u.ID, code, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("code accepted while locked: %v", err)
	}
	entries, _ := a.Audit.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionLockout})
	if len(entries) != 1 {
		t.Errorf("%d lockout audit entries, want 1", len(entries))
	}
	c.t = c.t.Add(15 * time.Minute)
	if _, err := a.CheckPassword(ctx, u.Email, password, "ip"); err != nil {
		t.Errorf("right password after the lock expired: %v", err)
	}
	// The count starts again: one more failure does not lock at once.
	a.CheckPassword(ctx, u.Email, "wrong password", "ip")
	if _, err := a.CheckPassword(ctx, u.Email, password, "ip"); err != nil {
		t.Errorf("locked again after a single failure: %v", err)
	}
}

func TestFailedSecondFactorsCountTowardsLockout(t *testing.T) {
	a, c, u, sec := newAccounts(t)
	ctx := context.Background()
	for range 5 {
		a.CheckSecondFactor(ctx, u.ID, "000000", "ip")
	}
	c.t = c.t.Add(time.Minute)
	code, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.CheckSecondFactor(ctx, u.ID, code, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("right code after five wrong ones: %v", err)
	}
}

func TestDisabledPersonCannotSignIn(t *testing.T) {
	a, _, u, _ := newAccounts(t)
	ctx := context.Background()
	admin, _, _ := a.CreateUser(ctx, "test", "admin@example.org", review.Roles{review.RoleAdmin}, password)
	yes := true
	if _, err := a.UpdateUser(ctx, admin, u.ID, review.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CheckPassword(ctx, u.Email, password, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("disabled person signed in: %v", err)
	}
}

func TestTOTPSecretIsSealedAtRest(t *testing.T) {
	a, _, u, sec := newAccounts(t)
	stored, err := a.Users.FindUserByID(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Enrolled() || stored.TOTPSecret == sec || strings.Contains(stored.TOTPSecret, sec) {
		t.Errorf("the database holds the TOTP secret in the clear: %q", stored.TOTPSecret)
	}
}

// TestRightPasswordsDoNotCountAgainstTheAddress: an office behind one
// address signs in all morning; only failures use up its allowance.
func TestRightPasswordsDoNotCountAgainstTheAddress(t *testing.T) {
	a, _, u, _ := newAccounts(t)
	ctx := context.Background()
	for i := range 2 * review.DefaultSignInPolicy.IPMaxFailures {
		if _, err := a.CheckPassword(ctx, u.Email, password, "office"); err != nil {
			t.Fatalf("sign-in %d from the office: %v", i+1, err)
		}
	}
}

// TestKnownPasswordDoesNotBuyMoreCodeGuesses: entering the right password
// again does not clear the failed codes before it.
func TestKnownPasswordDoesNotBuyMoreCodeGuesses(t *testing.T) {
	a, c, u, sec := newAccounts(t)
	ctx := context.Background()
	for range 4 {
		a.CheckSecondFactor(ctx, u.ID, "000000", "ip")
	}
	if _, err := a.CheckPassword(ctx, u.Email, password, "ip"); err != nil {
		t.Fatal(err)
	}
	a.CheckSecondFactor(ctx, u.ID, "000000", "ip")
	c.t = c.t.Add(time.Minute)
	code, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.CheckSecondFactor(ctx, u.ID, code, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("right code after five wrong ones with a password between: %v", err)
	}
}

// TestWrongEnrollmentCodesCount: confirming enrollment is an attempt like
// the others; a wrong code is explained (not a guess at a secret the
// person cannot see) but counts towards the lock.
func TestWrongEnrollmentCodesCount(t *testing.T) {
	a, c, _, _ := newAccounts(t)
	ctx := context.Background()
	u, _, _ := a.CreateUser(ctx, "test", "new@example.org", review.Roles{review.RoleReviewer}, password)
	sec, _ := secret.NewTOTPSecret(rand.Reader)
	for i := range review.DefaultSignInPolicy.MaxFailures {
		var v *review.ValidationError
		if _, err := a.ConfirmEnrollment(ctx, u.ID, sec, "000000", "ip"); !errors.As(err, &v) {
			t.Fatalf("wrong code %d: %v, want a validation error", i+1, err)
		}
	}
	code, _ := secret.TOTPCode(sec, c.t)
	if _, err := a.ConfirmEnrollment(ctx, u.ID, sec, code, "ip"); !errors.Is(err, review.ErrUnauthorized) {
		t.Errorf("right code after five wrong ones: %v", err)
	}
}
