package review

import (
	"errors"
	"testing"
	"time"
)

func TestCheckUndo(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	p := PendingDecision{DecisionID: 7, ReviewerID: 1, DueAt: at.Add(UndoWindow)}
	for _, tc := range []struct {
		name string
		user int64
		now  time.Time
		want error
		left int
	}{
		{"own, at once", 1, at, nil, 10},
		{"own, with half a second left", 1, at.Add(UndoWindow - 500*time.Millisecond), nil, 1},
		{"own, as the window ends", 1, at.Add(UndoWindow), ErrUndoExpired, 0},
		{"own, later", 1, at.Add(time.Hour), ErrUndoExpired, 0},
		{"someone else's", 2, at, ErrNotFound, 10},
	} {
		err := CheckUndo(p, tc.user, tc.now)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if got := p.SecondsLeft(tc.now); got != tc.left {
			t.Errorf("%s: %d seconds left, want %d", tc.name, got, tc.left)
		}
	}
	if !errors.Is(ErrUndoExpired, ErrConflict) {
		t.Error("an expired undo is not a conflict")
	}
}
