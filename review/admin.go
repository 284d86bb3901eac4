package review

import (
	"context"
	"fmt"
	"strconv"
)

// UpdateUser applies one administrative change to a person's account and
// audits it. Admins cannot lock themselves out: they may not disable
// themselves or drop their own admin role.
func (a *Accounts) UpdateUser(ctx context.Context, actor User, id int64, upd UserUpdate) (User, error) {
	target, err := a.Users.FindUserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if actor.ID == id {
		if upd.Disabled != nil && *upd.Disabled {
			return User{}, fmt.Errorf("you cannot disable your own account: %w", ErrForbidden)
		}
		if upd.Roles != nil && !upd.Roles.Has(RoleAdmin) {
			return User{}, fmt.Errorf("you cannot remove your own admin role: %w", ErrForbidden)
		}
	}
	if upd.Roles != nil && len(*upd.Roles) == 0 {
		return User{}, Invalid("roles", "at least one role is required")
	}
	ev := AuditEvent{Actor: actor.Email, Action: updateAction(upd), Target: userTarget(target.Email), Details: map[string]string{"user_id": strconv.FormatInt(id, 10)}}
	if upd.Roles != nil {
		ev.Details["from"], ev.Details["to"] = target.Roles.String(), upd.Roles.String()
	}
	return a.Users.UpdateUser(ctx, id, upd, ev)
}

// updateAction names the audit action of a single-purpose update.
func updateAction(upd UserUpdate) string {
	switch {
	case upd.ResetTOTP:
		return ActionTOTPReset
	case upd.Disabled != nil && *upd.Disabled:
		return ActionUserDisabled
	case upd.Disabled != nil:
		return ActionUserEnabled
	case upd.Roles != nil:
		return ActionUserRoles
	case upd.PasswordHash != nil:
		return ActionUserPassword
	default:
		return ActionSessionsRevoked
	}
}
