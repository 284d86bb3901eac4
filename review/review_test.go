package review

import (
	"errors"
	"testing"
	"time"
)

func TestParseRoles(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"reviewer", "reviewer", true},
		{"Lead, reviewer,lead", "reviewer,lead", true},
		{"admin,wellbeing", "wellbeing,admin", true},
		{"", "", false},
		{"boss", "", false},
	}
	for _, tc := range cases {
		got, err := ParseRoles(tc.in)
		var v *ValidationError
		if tc.ok != (err == nil) || got.String() != tc.want || (err != nil && !errors.As(err, &v)) {
			t.Errorf("ParseRoles(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestPasswordAndEmailRules(t *testing.T) {
	if ValidatePassword("elevenchars") == nil || ValidatePassword("twelve chars") != nil {
		t.Error("the 12-character minimum is not enforced")
	}
	for _, bad := range []string{"", "x", "a b@example.org", "Name <a@example.org>", "a@example.org,b@example.org"} {
		if ValidateEmail(bad) == nil {
			t.Errorf("accepted email %q", bad)
		}
	}
	if _, err := NewUser(" Ana@Example.ORG ", Roles{RoleReviewer}); err != nil {
		t.Errorf("normalised email refused: %v", err)
	}
}

func TestSignInPolicyAfterFailure(t *testing.T) {
	p := DefaultSignInPolicy
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := User{}
	for i := 1; i <= 4; i++ {
		u.FailedAttempts, u.LockedUntil = p.AfterFailure(u, now)
		if u.Locked(now) {
			t.Fatalf("locked after %d failures", i)
		}
	}
	u.FailedAttempts, u.LockedUntil = p.AfterFailure(u, now)
	if !u.Locked(now) || !u.Locked(now.Add(14*time.Minute)) || u.Locked(now.Add(15*time.Minute)) {
		t.Errorf("fifth failure: locked until %v, want 15 minutes", u.LockedUntil)
	}
	n, _ := p.AfterFailure(u, now.Add(16*time.Minute))
	if n != 1 {
		t.Errorf("failures after the lock expired = %d, want 1", n)
	}
}

func TestSessionExpiry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		s    Session
		at   time.Duration
		want bool
	}{
		{Session{Stage: StageFull, CreatedAt: t0, LastSeenAt: t0}, 29 * time.Minute, false},
		{Session{Stage: StageFull, CreatedAt: t0, LastSeenAt: t0}, 30 * time.Minute, true},
		{Session{Stage: StageFull, CreatedAt: t0, LastSeenAt: t0.Add(12 * time.Hour)}, 12 * time.Hour, true},
		{Session{Stage: StagePassword, CreatedAt: t0, LastSeenAt: t0.Add(9 * time.Minute)}, 10 * time.Minute, true},
	}
	for i, tc := range cases {
		if got := tc.s.Expired(t0.Add(tc.at)); got != tc.want {
			t.Errorf("case %d: Expired = %v, want %v", i, got, tc.want)
		}
	}
}

func TestAttemptsDuringLockDoNotExtendIt(t *testing.T) {
	p := DefaultSignInPolicy
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := User{FailedAttempts: 5, LockedUntil: now.Add(time.Minute)}
	if _, until := p.AfterFailure(u, now); !until.Equal(u.LockedUntil) {
		t.Errorf("lock moved to %v", until)
	}
}
