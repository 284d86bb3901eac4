package review

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// attempt admits one attempt at now and settles it with o, failing the
// test if it is refused.
func attempt(t *testing.T, p SignInPolicy, u User, now time.Time, o AttemptOutcome) (User, AuditEvent) {
	t.Helper()
	u, refused := p.Admit(u, now)
	if refused != "" {
		t.Fatalf("attempt at %v refused: %s", now, refused)
	}
	return p.Settle(u, o, now, AuditEvent{Action: ActionSignInFailed})
}

func TestFifthFailureLocksForFifteenMinutes(t *testing.T) {
	p := DefaultSignInPolicy
	u := User{}
	var ev AuditEvent
	for i := 1; i <= 5; i++ {
		u, ev = attempt(t, p, u, t0, AttemptFailed)
		if locked := u.Locked(t0); locked != (i == 5) || (ev.Action == ActionLockout) != (i == 5) {
			t.Fatalf("after %d failures: locked=%v, audit action %s", i, locked, ev.Action)
		}
	}
	if !u.Locked(t0.Add(14*time.Minute)) || u.Locked(t0.Add(15*time.Minute)) || ev.Details["locked_until"] == "" {
		t.Errorf("locked until %v (%v), want 15 minutes", u.LockedUntil, ev.Details)
	}
	// Attempts during the lock are refused and do not extend it.
	if again, refused := p.Admit(u, t0.Add(time.Minute)); refused != "account locked" || !again.LockedUntil.Equal(u.LockedUntil) || again.FailedAttempts != u.FailedAttempts {
		t.Errorf("attempt during the lock: %q, account %+v", refused, again)
	}
	// Once the lock has expired the count starts again.
	u, _ = attempt(t, p, u, t0.Add(16*time.Minute), AttemptFailed)
	if u.FailedAttempts != 1 || u.Locked(t0.Add(16*time.Minute)) {
		t.Errorf("after the lock: %d failures, locked until %v", u.FailedAttempts, u.LockedUntil)
	}
}

func TestAttemptsAtOnceNeverExceedTheLimit(t *testing.T) {
	p := DefaultSignInPolicy
	u := User{FailedAttempts: 1}
	admitted := 0
	for range 50 {
		var refused string
		if u, refused = p.Admit(u, t0); refused == "" {
			admitted++
		} else if refused != "too many attempts at once" {
			t.Fatalf("refused for %q", refused)
		}
	}
	if admitted != p.MaxFailures-1 || u.PendingAttempts != admitted {
		t.Fatalf("%d admitted (%d pending), want %d", admitted, u.PendingAttempts, p.MaxFailures-1)
	}
	// One of them was the right password: the others fail without a lock,
	// as if it had come first.
	u, _ = p.Settle(u, AttemptPassed, t0, AuditEvent{})
	for range admitted - 1 {
		u, _ = p.Settle(u, AttemptFailed, t0, AuditEvent{})
	}
	if u.FailedAttempts != 4 || u.PendingAttempts != 0 || u.Locked(t0) {
		t.Errorf("after settling: %+v", u)
	}
}

func TestPendingAttemptsLostToACrashExpire(t *testing.T) {
	p := DefaultSignInPolicy
	u := User{}
	for range p.MaxFailures {
		u, _ = p.Admit(u, t0)
	}
	if _, refused := p.Admit(u, t0.Add(PendingFor-time.Second)); refused == "" {
		t.Error("admitted while the places are taken")
	}
	if u, refused := p.Admit(u, t0.Add(PendingFor)); refused != "" || u.PendingAttempts != 1 {
		t.Errorf("after the pending attempts expired: %q, %d pending", refused, u.PendingAttempts)
	}
}

func TestSettleOutcomes(t *testing.T) {
	p := DefaultSignInPolicy
	cases := []struct {
		name         string
		before       User
		o            AttemptOutcome
		failures     int
		locked       bool
		auditsAction string
	}{
		{"a right password keeps the failures", User{FailedAttempts: 3}, AttemptPassed, 3, false, ""},
		{"a right code clears them", User{FailedAttempts: 4}, AttemptSignedIn, 0, false, ""},
		{"a wrong secret adds one", User{FailedAttempts: 2}, AttemptFailed, 3, false, ActionSignInFailed},
		{"the fifth locks", User{FailedAttempts: 4}, AttemptFailed, 5, true, ActionLockout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, refused := p.Admit(tc.before, t0)
			if refused != "" {
				t.Fatal(refused)
			}
			ev := AuditEvent{}
			if tc.o == AttemptFailed {
				ev.Action = ActionSignInFailed
			}
			u, ev = p.Settle(u, tc.o, t0, ev)
			if u.FailedAttempts != tc.failures || u.Locked(t0) != tc.locked || u.PendingAttempts != 0 || ev.Action != tc.auditsAction {
				t.Errorf("got %d failures, locked %v, %d pending, audit %q", u.FailedAttempts, u.Locked(t0), u.PendingAttempts, ev.Action)
			}
		})
	}
}

func TestThrottledAfterTheAddressAllowance(t *testing.T) {
	p := DefaultSignInPolicy
	if p.Throttled(p.IPMaxFailures) || !p.Throttled(p.IPMaxFailures+1) {
		t.Errorf("the %dth attempt in a window must be the first throttled", p.IPMaxFailures+1)
	}
}
