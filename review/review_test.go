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
