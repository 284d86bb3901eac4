package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// Budgets are entered and shown in weighted minutes on every form, and a
// break for a used-up budget reads as the rest of the day, not as a
// 12-hour rest.
func TestWellbeingBudgetsInMinutes(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	ctx := context.Background()
	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	c, csrf := h.signIn(wb)

	limits := c.get("/wellbeing/limits")
	if v, _ := limits.doc.Find(`[data-testid="org-limits"] input[name="daily_budget_minutes"]`).Attr("value"); v != "30" {
		t.Errorf("the organisation's budget shows %q, want 30 (minutes)", v)
	}
	if !strings.Contains(limits.body, "colour 2") {
		t.Error("the limits page does not explain the weights")
	}
	person := fmt.Sprintf("/wellbeing/people/%d", s.rev1.ID)
	if res := c.post(person+"/limits", url.Values{"csrf": {csrf}, "daily_budget_minutes": {"45"}}); res.StatusCode != 303 {
		t.Fatalf("save: %d %s", res.StatusCode, res.testid("error"))
	}
	if l, _ := h.srv.wellbeing.EffectiveLimits(ctx, 0, s.rev1.ID); l[review.LimitDailyBudget] != 45*60 {
		t.Errorf("stored budget %d, want 2700 weighted seconds", l[review.LimitDailyBudget])
	}
	page := c.get(person)
	if v, _ := page.doc.Find(`[data-testid="person-limits"] input[name="daily_budget_minutes"]`).Attr("value"); v != "45" {
		t.Errorf("the person's budget shows %q", v)
	}
	if page.testid("no-breaks") == "" {
		t.Error("no word on an empty breaks list")
	}

	// The budget ran out at 11:30; the break lasts until midnight.
	start := h.clock.Now().Add(-30 * time.Minute).Truncate(time.Hour).Add(-90 * time.Minute)
	b := review.Break{UserID: s.rev1.ID, Reason: review.BreakBudget, StartedAt: start, EndsAt: review.DayEnd(start, time.UTC)}
	if _, err := h.db.StartBreak(ctx, b, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	page = c.get(person)
	if l := page.testid("break-length"); l != "rest of the day from "+start.Format("15:04") {
		t.Errorf("the budget break's length reads %q", l)
	}
}
