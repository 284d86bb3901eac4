package review

import (
	"context"
	"fmt"
	"strconv"

	"github.com/loupe-review/loupe/review/secret"
)

// ActionPasswordChanged audits a person choosing their own password
// after a one-time one.
const ActionPasswordChanged = "user.password_changed"

// SetOneTimePassword gives a person a new, generated password, returned
// to be shown once to the admin. It signs them out everywhere, and at
// their next sign-in they must choose their own before anything else.
func (a *Accounts) SetOneTimePassword(ctx context.Context, actor User, id int64) (User, string, error) {
	target, err := a.Users.FindUserByID(ctx, id)
	if err != nil {
		return User{}, "", err
	}
	if actor.ID == id {
		return User{}, "", fmt.Errorf("set your own password from your account, not here: %w", ErrForbidden)
	}
	password, err := secret.Password(a.Random)
	if err != nil {
		return User{}, "", err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return User{}, "", err
	}
	ev := AuditEvent{Actor: actor.Email, Action: ActionUserPassword, Target: userTarget(target.Email),
		Details: map[string]string{"user_id": strconv.FormatInt(id, 10), "one_time": "true"}}
	u, err := a.Users.UpdateUser(ctx, id, UserUpdate{PasswordHash: &hash, OneTime: true, RevokeSessions: true}, ev)
	return u, password, err
}

// ChangePassword sets u's own password once they have proved the one in
// use. The new one must differ from it.
func (a *Accounts) ChangePassword(ctx context.Context, u User, current, next string) error {
	ok, err := secret.CheckPassword(u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return Invalid("current", "is not your current password")
	}
	if err := ValidatePassword(next); err != nil {
		return Invalid("password", "the new password "+err.(*ValidationError).Problems["password"])
	}
	if next == current {
		return Invalid("password", "choose a password different from the one you were given")
	}
	hash, err := a.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	ev := AuditEvent{Actor: u.Email, Action: ActionPasswordChanged, Target: userTarget(u.Email)}
	_, err = a.Users.UpdateUser(ctx, u.ID, UserUpdate{PasswordHash: &hash}, ev)
	return err
}
