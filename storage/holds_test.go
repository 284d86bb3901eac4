package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestHoldsRegisterAndExtension(t *testing.T) { eachEngine(t, testHoldsRegisterAndExtension) }

func testHoldsRegisterAndExtension(t *testing.T, db *DB, c *clock) {
	s := newRetained(t, db, c)
	ctx := context.Background()
	start := s.clock.Now()
	a, b := s.addItem(t, "a", 1), s.addItem(t, "b", 1)
	s.decide(t, a.ID, review.Violating)
	s.decide(t, b.ID, review.Violating)
	end := start.Add(365 * day)
	caseID := s.report(t, "finished", end, a.ID, b.ID)

	holds, err := s.db.FindHolds(ctx, start)
	if err != nil || len(holds) != 2 {
		t.Fatalf("holds: %+v, %v", holds, err)
	}
	h := holds[0]
	if h.ItemID != a.ID || h.CaseID != caseID || h.ExternalID != "a" || h.Source != "photos" || h.Reason != "reported" ||
		!h.Until.Equal(end) || h.CreatedBy != s.lead || !h.CreatedAt.Equal(start) {
		t.Errorf("hold: %+v", h)
	}
	if holds, _ := s.db.FindHolds(ctx, end); len(holds) != 0 {
		t.Errorf("holds in force when they end: %d", len(holds))
	}

	// Only later, only with a reason; every refusal changes nothing.
	ev := review.AuditEvent{Actor: s.lead}
	var v *review.ValidationError
	if err := s.db.ExtendHold(ctx, h.ID, end.Add(-day), "shorter", ev); !errors.As(err, &v) || v.Problems["until"] == "" {
		t.Errorf("extend to an earlier date: %v", err)
	}
	if err := s.db.ExtendHold(ctx, h.ID, end.Add(day), " ", ev); !errors.As(err, &v) || v.Problems["reason"] == "" {
		t.Errorf("extend without a reason: %v", err)
	}
	if err := s.db.ExtendHold(ctx, 999, end.Add(day), "why", ev); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("extend a missing hold: %v", err)
	}
	later := end.Add(180 * day)
	if err := s.db.ExtendHold(ctx, h.ID, later, "court order 42", ev); err != nil {
		t.Fatal(err)
	}
	holds, _ = s.db.FindHolds(ctx, end)
	if len(holds) != 1 || holds[0].ID != h.ID || !holds[0].Until.Equal(later) ||
		holds[0].Reason != "reported; extended to "+later.Format(time.DateOnly)+" by lead@example.org: court order 42" {
		t.Errorf("after extension: %+v", holds)
	}
	entries, _ := s.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionHoldExtended})
	if len(entries) != 1 || entries[0].Actor != s.lead || !strings.Contains(entries[0].Details, `"reason":"court order 42"`) {
		t.Errorf("audit of the extension: %+v", entries)
	}

	// When the original hold ends, the other item goes; the extended one stays.
	s.clock.Advance(end.Sub(s.clock.Now()))
	if got := purgedIDs(s.purge(t, false)); !slices.Equal(got, []string{"b"}) {
		t.Errorf("purged at the original end: %q, want [b]", got)
	}
	s.clock.Advance(later.Sub(s.clock.Now()))
	if got := purgedIDs(s.purge(t, false)); !slices.Equal(got, []string{"a"}) {
		t.Errorf("purged at the extended end: %q, want [a]", got)
	}
}
