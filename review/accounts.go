package review

import (
	"context"
	"encoding/base64"
	"errors"
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
	Throttle Throttle
	// Secrets seals TOTP secrets under the master key: a copy of the
	// database alone does not let anyone make codes.
	Secrets Sealer
	Policy  SignInPolicy
	Now     func() time.Time
	Random  io.Reader
}

// ErrSignIn is the one answer to every failed sign-in, so that the message
// never reveals whether an email exists or an account is locked.
var ErrSignIn = fmt.Errorf("the email, password or code is not right, or the account is locked for a while: %w", ErrUnauthorized)

func ipKey(ip string) string { return "signin-ip:" + ip }

// CheckPassword is the first sign-in step.
func (a *Accounts) CheckPassword(ctx context.Context, email, password, ip string) (User, error) {
	now := a.Now()
	if err := a.checkThrottle(ctx, ip, now); err != nil {
		return User{}, err
	}
	email = NormalizeEmail(email)
	u, err := a.Users.FindUserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		_, _ = secret.CheckPassword(secret.DummyHash, password) // same cost as a real check
		return User{}, a.fail(ctx, User{}, email, ip, now, "unknown email")
	}
	if err != nil {
		return User{}, err
	}
	ok, err := secret.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return User{}, fmt.Errorf("review: check password of user %d: %w", u.ID, err)
	}
	switch {
	case u.Disabled:
		return User{}, a.fail(ctx, u, email, ip, now, "account disabled")
	case u.Locked(now):
		return User{}, a.fail(ctx, u, email, ip, now, "account locked")
	case !ok:
		return User{}, a.fail(ctx, u, email, ip, now, "wrong password")
	}
	return u, nil
}

// CheckSecondFactor is the second sign-in step: a current TOTP code or an
// unused recovery code. It returns whether a recovery code was used.
func (a *Accounts) CheckSecondFactor(ctx context.Context, userID int64, code, ip string) (usedRecovery bool, err error) {
	now := a.Now()
	if err := a.checkThrottle(ctx, ip, now); err != nil {
		return false, err
	}
	u, err := a.Users.FindUserByID(ctx, userID)
	if err != nil {
		return false, err
	}
	if u.Disabled || u.Locked(now) || !u.Enrolled() {
		return false, a.fail(ctx, u, u.Email, ip, now, "account locked, disabled or not enrolled")
	}
	totpSecret, err := a.openTOTP(u)
	if err != nil {
		return false, err
	}
	if step, ok := secret.MatchTOTP(totpSecret, code, now); ok {
		err := a.Users.AcceptTOTP(ctx, u.ID, step)
		if errors.Is(err, ErrConflict) {
			return false, a.fail(ctx, u, u.Email, ip, now, "code already used")
		}
		return false, err
	}
	norm := secret.NormalizeRecoveryCode(code)
	err = a.Users.UseRecoveryCode(ctx, u.ID, secret.Digest(norm), AuditEvent{
		Actor: u.Email, Action: ActionRecoveryUsed, Target: userTarget(u.Email), Details: map[string]string{"ip": ip},
	})
	if errors.Is(err, ErrNotFound) {
		return false, a.fail(ctx, u, u.Email, ip, now, "wrong code")
	}
	return err == nil, err
}

// ConfirmEnrollment stores a TOTP secret once the person has proved, with a
// current code, that their authenticator holds it. It returns the new
// recovery codes, which are shown once and stored only as hashes.
func (a *Accounts) ConfirmEnrollment(ctx context.Context, userID int64, totpSecret, code, ip string) ([]string, error) {
	now := a.Now()
	if err := a.checkThrottle(ctx, ip, now); err != nil {
		return nil, err
	}
	u, err := a.Users.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Enrolled() {
		return nil, fmt.Errorf("review: user %d is already enrolled: %w", u.ID, ErrConflict)
	}
	step, ok := secret.MatchTOTP(totpSecret, code, now)
	if !ok {
		return nil, Invalid("code", "that code does not match; check the time on your device and try the current code")
	}
	codes, err := secret.RecoveryCodes(a.Random)
	if err != nil {
		return nil, err
	}
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = secret.Digest(c)
	}
	ev := AuditEvent{Actor: u.Email, Action: ActionTOTPEnrolled, Target: userTarget(u.Email), Details: map[string]string{"ip": ip}}
	if err := a.Enroll(ctx, u.ID, totpSecret, step, hashes, ev); err != nil {
		return nil, err
	}
	return codes, nil
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
	if u.PasswordHash, err = secret.HashPassword(password, a.Random); err != nil {
		return User{}, "", err
	}
	u, err = a.Users.CreateUser(ctx, u, AuditEvent{
		Actor: actor, Action: ActionUserCreated, Target: userTarget(u.Email), Details: map[string]string{"roles": roles.String()},
	})
	return u, password, err
}

func (a *Accounts) checkThrottle(ctx context.Context, ip string, now time.Time) error {
	n, until, err := a.Throttle.Hits(ctx, ipKey(ip), now, a.Policy.IPWindow)
	if err != nil {
		return err
	}
	if n >= a.Policy.IPMaxFailures {
		return &ThrottledError{Until: until}
	}
	return nil
}

// fail records a failed attempt against the IP and, when the account is
// known, against the account (locking it after too many), then returns the
// one generic sign-in error.
func (a *Accounts) fail(ctx context.Context, u User, email, ip string, now time.Time, reason string) error {
	if _, _, err := a.Throttle.Hit(ctx, ipKey(ip), now, a.Policy.IPWindow); err != nil {
		return err
	}
	ev := AuditEvent{Actor: email, Action: ActionSignInFailed, Target: userTarget(email), Details: map[string]string{"ip": ip, "reason": reason}}
	if u.ID == 0 {
		if err := a.Audit.Append(ctx, ev); err != nil {
			return err
		}
		return ErrSignIn
	}
	failures, until := a.Policy.AfterFailure(u, now)
	if !until.Equal(u.LockedUntil) {
		ev.Details["locked_until"] = until.UTC().Format(time.RFC3339)
		ev.Action = ActionLockout
	}
	if err := a.Users.RecordSignInFailure(ctx, u.ID, failures, until, ev); err != nil {
		return err
	}
	return ErrSignIn
}

func userTarget(email string) string { return "user:" + email }

// ThrottledError says when a throttled caller may try again.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return "too many failed attempts from this address; try again after " + e.Until.UTC().Format(time.RFC3339)
}

func (e *ThrottledError) Unwrap() error { return ErrThrottled }
