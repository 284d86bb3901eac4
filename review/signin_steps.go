package review

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review/secret"
)

// ErrSignIn is the one answer to every failed sign-in, so that the message
// never reveals whether an email exists or an account is locked.
var ErrSignIn = fmt.Errorf("the email, password or code is not right, or the account is locked for a while: %w", ErrUnauthorized)

// Every step below follows the same order: wait for a slot, reserve the
// attempt (counting it against the address and the account), check the
// secret only if the reservation allows it, then settle the attempt. The
// count comes before the check, so guesses sent in parallel are counted
// one after the other and never more are checked than the limits allow.

// CheckPassword is the first sign-in step.
func (a *Accounts) CheckPassword(ctx context.Context, email, password, ip string) (User, error) {
	release, err := a.Hashing.Take(ctx)
	if err != nil {
		return User{}, err
	}
	defer release()
	email = NormalizeEmail(email)
	u, err := a.Users.FindUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	att := Attempt{IP: ip, UserID: u.ID, At: a.Now()}
	res, err := a.reserve(ctx, att)
	if err != nil {
		return User{}, err
	}
	// Unknown emails and refused attempts cost the same as a real check.
	hash := secret.DummyHash
	if u.ID != 0 && res.Refused == "" {
		hash = res.User.PasswordHash
	}
	ok, err := secret.CheckPassword(hash, password)
	if err != nil {
		return User{}, fmt.Errorf("review: check password of user %d: %w", u.ID, err)
	}
	switch {
	case u.ID == 0:
		return User{}, a.fail(ctx, att, email, "unknown email")
	case res.Refused != "":
		return User{}, a.refuse(ctx, att, email, res.Refused)
	case !ok:
		return User{}, a.fail(ctx, att, email, "wrong password")
	}
	return res.User, a.settle(ctx, att, AttemptPassed, AuditEvent{})
}

// CheckSecondFactor is the second sign-in step: a current TOTP code or an
// unused recovery code. It returns whether a recovery code was used.
func (a *Accounts) CheckSecondFactor(ctx context.Context, userID int64, code, ip string) (usedRecovery bool, err error) {
	release, err := a.Codes.Take(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	att := Attempt{IP: ip, UserID: userID, At: a.Now()}
	res, err := a.reserve(ctx, att)
	if err != nil {
		return false, err
	}
	u := res.User
	if res.Refused != "" {
		return false, a.refuse(ctx, att, u.Email, res.Refused)
	}
	if !u.Enrolled() {
		return false, a.fail(ctx, att, u.Email, "not enrolled")
	}
	totpSecret, err := a.openTOTP(u)
	if err != nil {
		return false, err
	}
	if step, ok := secret.MatchTOTP(totpSecret, code, att.At); ok {
		err := a.Users.AcceptTOTP(ctx, u.ID, step)
		if errors.Is(err, ErrConflict) {
			return false, a.fail(ctx, att, u.Email, "code already used")
		}
		if err != nil {
			return false, err
		}
		return false, a.settle(ctx, att, AttemptSignedIn, AuditEvent{})
	}
	norm := secret.NormalizeRecoveryCode(code)
	err = a.Users.UseRecoveryCode(ctx, u.ID, secret.Digest(norm), AuditEvent{
		Actor: u.Email, Action: ActionRecoveryUsed, Target: userTarget(u.Email), Details: map[string]string{"ip": ip},
	})
	if errors.Is(err, ErrNotFound) {
		return false, a.fail(ctx, att, u.Email, "wrong code")
	}
	if err != nil {
		return false, err
	}
	return true, a.settle(ctx, att, AttemptSignedIn, AuditEvent{})
}

// ConfirmEnrollment stores a TOTP secret once the person has proved, with a
// current code, that their authenticator holds it. It returns the new
// recovery codes, which are shown once and stored only as hashes. A wrong
// code counts as a failed attempt like any other.
func (a *Accounts) ConfirmEnrollment(ctx context.Context, userID int64, totpSecret, code, ip string) ([]string, error) {
	release, err := a.Codes.Take(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	att := Attempt{IP: ip, UserID: userID, At: a.Now()}
	res, err := a.reserve(ctx, att)
	if err != nil {
		return nil, err
	}
	u := res.User
	switch {
	case res.Refused != "":
		return nil, a.refuse(ctx, att, u.Email, res.Refused)
	case u.Enrolled():
		if err := a.settle(ctx, att, AttemptPassed, AuditEvent{}); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("review: user %d is already enrolled: %w", u.ID, ErrConflict)
	}
	step, ok := secret.MatchTOTP(totpSecret, code, att.At)
	if !ok {
		if err := a.settle(ctx, att, AttemptFailed, failure(u.Email, ip, "wrong enrollment code")); err != nil {
			return nil, err
		}
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
	return codes, a.settle(ctx, att, AttemptSignedIn, AuditEvent{})
}

// reserve counts att, or says until when its address is throttled.
func (a *Accounts) reserve(ctx context.Context, att Attempt) (Reservation, error) {
	res, err := a.Attempts.ReserveAttempt(ctx, att, a.Policy)
	if err != nil {
		return res, err
	}
	if !res.ThrottledUntil.IsZero() {
		return res, &ThrottledError{Until: res.ThrottledUntil}
	}
	return res, nil
}

// settle records how a checked attempt ended. It goes through even when
// the caller has gone, so that disconnecting cannot take a guess back.
func (a *Accounts) settle(ctx context.Context, att Attempt, o AttemptOutcome, ev AuditEvent) error {
	return a.Attempts.SettleAttempt(context.WithoutCancel(ctx), att, o, a.Policy, ev)
}

// fail settles a checked attempt whose secret was wrong (locking the
// account after too many) and returns the one generic sign-in error.
func (a *Accounts) fail(ctx context.Context, att Attempt, email, reason string) error {
	if err := a.settle(ctx, att, AttemptFailed, failure(email, att.IP, reason)); err != nil {
		return err
	}
	return ErrSignIn
}

// refuse records an attempt whose secret was not checked and returns the
// same error as a wrong one.
func (a *Accounts) refuse(ctx context.Context, att Attempt, email, reason string) error {
	if err := a.Audit.Append(context.WithoutCancel(ctx), failure(email, att.IP, reason)); err != nil {
		return err
	}
	return ErrSignIn
}

func failure(email, ip, reason string) AuditEvent {
	return AuditEvent{Actor: email, Action: ActionSignInFailed, Target: userTarget(email), Details: map[string]string{"ip": ip, "reason": reason}}
}

// ThrottledError says when a throttled caller may try again.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return "too many failed attempts from this address; try again after " + e.Until.UTC().Format(time.RFC3339)
}

func (e *ThrottledError) Unwrap() error { return ErrThrottled }
