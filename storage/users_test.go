package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func createUser(t *testing.T, db *DB, email string, roles ...review.Role) review.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), review.User{Email: email, PasswordHash: "h", Roles: review.NewRoles(roles...)},
		review.AuditEvent{Actor: "test", Action: review.ActionUserCreated, Target: "user:" + email})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserRoundTrip(t *testing.T) { eachEngine(t, testUserRoundTrip) }

func testUserRoundTrip(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	u := createUser(t, db, "ana@example.org", review.RoleLead, review.RoleReviewer)
	got, err := db.FindUserByEmail(ctx, "ANA@example.org ")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Roles.String() != "reviewer,lead" || got.Enrolled() || got.Disabled {
		t.Errorf("got %+v", got)
	}
	if _, err := db.FindUserByID(ctx, 999); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("missing user: err = %v, want ErrNotFound", err)
	}
	_, err = db.CreateUser(ctx, review.User{Email: "ana@example.org", PasswordHash: "h", Roles: review.Roles{review.RoleAdmin}}, review.AuditEvent{Action: "x"})
	if !errors.Is(err, review.ErrConflict) {
		t.Errorf("duplicate email: err = %v, want ErrConflict", err)
	}
	users, _ := db.FindUsers(ctx)
	if len(users) != 1 {
		t.Errorf("a failed create left %d users, want 1", len(users))
	}
}

func TestUpdateUserRevokesSessions(t *testing.T) { eachEngine(t, testUpdateUserRevokesSessions) }

func testUpdateUserRevokesSessions(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	yes := true
	cases := []struct {
		name string
		upd  review.UserUpdate
	}{
		{"disable", review.UserUpdate{Disabled: &yes}},
		{"reset 2fa", review.UserUpdate{ResetTOTP: true}},
		{"revoke", review.UserUpdate{RevokeSessions: true}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := createUser(t, db, string(rune('a'+i))+"@example.org", review.RoleReviewer)
			if err := db.EnrollTOTP(ctx, u.ID, "SECRET", 1, []string{"h1"}, review.AuditEvent{Action: "x"}); err != nil {
				t.Fatal(err)
			}
			s := review.Session{IDHash: "s" + tc.name, UserID: u.ID, Stage: review.StageFull, CSRFToken: "c", CreatedAt: c.Now(), LastSeenAt: c.Now()}
			if err := db.StartSession(ctx, "", s, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpdateUser(ctx, u.ID, tc.upd, review.AuditEvent{Action: "x"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.FindSession(ctx, s.IDHash); !errors.Is(err, review.ErrNotFound) {
				t.Errorf("session still there after %s: %v", tc.name, err)
			}
		})
	}
	if _, err := db.UpdateUser(ctx, 999, review.UserUpdate{RevokeSessions: true}, review.AuditEvent{Action: "x"}); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("update of missing user: %v", err)
	}
}

func TestTOTPReplayAndRecoveryCodes(t *testing.T) { eachEngine(t, testTOTPReplayAndRecoveryCodes) }

func testTOTPReplayAndRecoveryCodes(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	u := createUser(t, db, "rui@example.org", review.RoleReviewer)
	if err := db.EnrollTOTP(ctx, u.ID, "SECRET", 100, []string{"h1", "h2"}, review.AuditEvent{Action: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := db.EnrollTOTP(ctx, u.ID, "OTHER", 100, nil, review.AuditEvent{Action: "x"}); !errors.Is(err, review.ErrConflict) {
		t.Errorf("second enrollment: %v, want ErrConflict", err)
	}
	if err := db.AcceptTOTP(ctx, u.ID, 100); !errors.Is(err, review.ErrConflict) {
		t.Errorf("step used at enrollment accepted again: %v", err)
	}
	if err := db.AcceptTOTP(ctx, u.ID, 101); err != nil {
		t.Errorf("next step refused: %v", err)
	}
	if err := db.UseRecoveryCode(ctx, u.ID, "h1", review.AuditEvent{Action: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := db.UseRecoveryCode(ctx, u.ID, "h1", review.AuditEvent{Action: "x"}); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("recovery code used twice: %v", err)
	}
	if n, _ := db.CountRecoveryCodes(ctx, u.ID); n != 1 {
		t.Errorf("%d codes left, want 1", n)
	}
}

func TestSessionsExpire(t *testing.T) { eachEngine(t, testSessionsExpire) }

func testSessionsExpire(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	u := createUser(t, db, "eva@example.org", review.RoleReviewer)
	s := review.Session{IDHash: "s1", UserID: u.ID, Stage: review.StageFull, CSRFToken: "c", CreatedAt: c.Now(), LastSeenAt: c.Now()}
	if err := db.StartSession(ctx, "", s, nil); err != nil {
		t.Fatal(err)
	}
	c.Advance(29 * time.Minute)
	if n, _ := db.DeleteExpiredSessions(ctx, c.Now()); n != 0 {
		t.Errorf("deleted %d sessions before idle timeout", n)
	}
	c.Advance(2 * time.Minute)
	if n, _ := db.DeleteExpiredSessions(ctx, c.Now()); n != 1 {
		t.Errorf("deleted %d sessions after idle timeout, want 1", n)
	}
}
