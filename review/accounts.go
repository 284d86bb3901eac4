package review

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review/secret"
)

// Accounts runs sign-in and account administration: it owns the rules
// (lockout, throttling, replay, recovery codes) and leaves storage to the
// stores it is given.
type Accounts struct {
	Users    UserStore
	Audit    AuditLog
	Attempts AttemptStore
	// Secrets seals TOTP secrets under the master key: a copy of the
	// database alone does not let anyone make codes.
	Secrets Sealer
	Policy  SignInPolicy
	// Hashing bounds the password hashes computed at once, for sign-in and
	// for new passwords. Codes bounds the second-factor checks at once: they
	// are cheap, but each holds a place in its address's count while it
	// runs, and the bound keeps the attempts in flight from one office's
	// address well under the address's allowance.
	Hashing, Codes *Slots
	Now            func() time.Time
	Random         io.Reader
}

// Enroll stores a TOTP secret, sealed, with the hashes of recovery codes.
// step is the last time step counted as used. The demo and tests enroll
// people directly through it.
func (a *Accounts) Enroll(ctx context.Context, userID int64, totpSecret string, step int64, recoveryHashes []string, ev AuditEvent) error {
	sealed, err := a.Secrets.Seal(totpName(userID), []byte(totpSecret))
	if err != nil {
		return fmt.Errorf("review: seal totp secret: %w", err)
	}
	return a.Users.EnrollTOTP(ctx, userID, base64.StdEncoding.EncodeToString(sealed), step, recoveryHashes, ev)
}

// openTOTP unseals a person's TOTP secret.
func (a *Accounts) openTOTP(u User) (string, error) {
	sealed, err := base64.StdEncoding.DecodeString(u.TOTPSecret)
	if err != nil {
		return "", fmt.Errorf("review: totp secret of user %d is not sealed: %w", u.ID, err)
	}
	plain, err := a.Secrets.Open(totpName(u.ID), sealed)
	if err != nil {
		return "", fmt.Errorf("review: open totp secret of user %d: %w", u.ID, err)
	}
	return string(plain), nil
}

func totpName(userID int64) string { return "totp:" + strconv.FormatInt(userID, 10) }

// CreateUser adds a person. With an empty password one is generated; the
// password in effect is returned so it can be shown once.
func (a *Accounts) CreateUser(ctx context.Context, actor, email string, roles Roles, password string) (User, string, error) {
	u, err := NewUser(email, roles)
	if err != nil {
		return User{}, "", err
	}
	if password == "" {
		if password, err = secret.Password(a.Random); err != nil {
			return User{}, "", err
		}
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, "", err
	}
	if u.PasswordHash, err = a.hashPassword(ctx, password); err != nil {
		return User{}, "", err
	}
	u, err = a.Users.CreateUser(ctx, u, AuditEvent{
		Actor: actor, Action: ActionUserCreated, Target: userTarget(u.Email), Details: map[string]string{"roles": roles.String()},
	})
	return u, password, err
}

// hashPassword hashes in one of the Hashing slots.
func (a *Accounts) hashPassword(ctx context.Context, password string) (string, error) {
	release, err := a.Hashing.Take(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return secret.HashPassword(password, a.Random)
}

func userTarget(email string) string { return "user:" + email }
