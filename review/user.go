package review

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// MinPasswordLength is the shortest password Loupe accepts.
const MinPasswordLength = 12

// User is a person who signs in to Loupe.
type User struct {
	ID           int64
	Email        string
	Roles        Roles
	PasswordHash string
	// TOTPSecret is empty until the person has enrolled an authenticator;
	// then it holds the secret sealed under the master key (base64).
	TOTPSecret string
	// TOTPLastStep is the last accepted time step; codes at or before it are replays.
	TOTPLastStep   int64
	FailedAttempts int
	LockedUntil    time.Time
	// PendingAttempts are sign-in attempts being checked right now; they
	// hold places towards MaxFailures until PendingUntil (see Attempt).
	PendingAttempts int
	PendingUntil    time.Time
	Disabled        bool
	// MustChangePassword: an admin set a one-time password; the person
	// chooses their own before anything else at next sign-in.
	MustChangePassword bool
	CreatedAt          time.Time
}

// Enrolled reports whether the person has confirmed a TOTP authenticator.
func (u User) Enrolled() bool { return u.TOTPSecret != "" }

// Locked reports whether sign-in is refused at now because of failed attempts.
func (u User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// NormalizeEmail trims and lower-cases an address so lookups are stable.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail checks that s is a bare address such as "a@example.org".
func ValidateEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(s, "@") {
		return Invalid("email", "must be an address such as name@example.org")
	}
	return nil
}

// ValidatePassword enforces the password policy.
func ValidatePassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return Invalid("password", "must be at least 12 characters")
	}
	if len(p) > 1024 {
		return Invalid("password", "must be at most 1024 bytes")
	}
	return nil
}

// NewUser validates the fields of a user about to be created.
func NewUser(email string, roles Roles) (User, error) {
	email = NormalizeEmail(email)
	var v ValidationError
	if err := ValidateEmail(email); err != nil {
		v.Add("email", err.(*ValidationError).Problems["email"])
	}
	if len(roles) == 0 {
		v.Add("roles", "at least one role is required")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	return User{Email: email, Roles: roles}, nil
}
