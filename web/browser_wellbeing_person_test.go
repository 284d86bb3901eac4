package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// heavyDays records n days (today and the n-1 before) on which p revealed
// an item in grey for secs seconds: enough, near the budget, for an alert.
func heavyDays(t *testing.T, s *reviewSetup, p person, n int, secs float64) {
	t.Helper()
	items, err := s.h.db.FindWaiting(context.Background(), s.queue.ID, 1)
	if err != nil || len(items) == 0 {
		t.Fatalf("no waiting item: %v", err)
	}
	it := items[0]
	for i := range n {
		at := s.h.clock.Now().AddDate(0, 0, -i).Add(-time.Hour).UTC()
		s.h.sqlExec(`INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, started_at, cap_at, ended_at, seconds, closed_by)
			VALUES (?, ?, ?, 'grey', ?, ?, ?, ?, 'reblur')`, p.ID, it.ID, it.Media[0].ID,
			at.Format(review.TimeFormat), at.Add(time.Hour).Format(review.TimeFormat),
			at.Add(time.Duration(secs)*time.Second).Format(review.TimeFormat), secs)
	}
}

// TestBrowserWellbeingPersonPage: at 1366x768 the limits form starts within
// the first screen, beside the figures; an alert acknowledged there with a
// follow-up note shows as acknowledged, is audited, and the note stays out
// of the audit log.
func TestBrowserWellbeingPersonPage(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	heavyDays(t, s, s.rev1, 3, 1500) // 25 of the 30 default minutes, three days running
	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	b := browserAt(t)
	browserSignIn(t, b, h, wb)

	step(t, b, "open the person page",
		chromedp.Navigate(fmt.Sprintf("%s/wellbeing/people/%d", h.ts.URL, s.rev1.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="person-limits"]`)),
	)
	if top := eval[float64](t, b, `document.querySelector('[data-testid="person-limits"]').getBoundingClientRect().top`); top >= laptopHeight {
		t.Errorf("the limits form starts at %.0f px, below the first screen (%d px)", top, laptopHeight)
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="day-row"]').length`); n != 3 {
		t.Errorf("%d day rows, want the 3 days worked (the quiet ones folded)", n)
	}
	if q := text(t, b, `[data-testid="quiet-days"]`); !strings.Contains(q, "27 days without reveals") {
		t.Errorf("quiet days row: %q", q)
	}
	if l := text(t, b, `[data-testid="chart-legend"]`); !strings.Contains(l, "daily budget (30 min 00 s)") {
		t.Errorf("chart legend: %q", l)
	}
	if a := eval[int](t, b, `document.querySelectorAll('[data-testid="chart-axis"] text').length`); a < 4 {
		t.Errorf("chart axis has %d dates", a)
	}

	const note = "Spoke with Ana on Thursday; lighter queue this week"
	step(t, b, "acknowledge the alert with a note",
		chromedp.SendKeys(chromedp.CSS(`[data-testid="ack-form"] input[name="note"]`), note),
		chromedp.Click(chromedp.CSS(`[data-testid="ack-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="alert-acked"]`)),
	)
	if got := text(t, b, `[data-testid="alert-acked"]`); !strings.Contains(got, note) || !strings.Contains(got, "Acknowledged by care@example.org") {
		t.Errorf("acknowledged alert shows %q", got)
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="ack-form"]').length`); n != 0 {
		t.Errorf("%d acknowledge forms left", n)
	}
	entries, err := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionAlertAcknowledged})
	if err != nil || len(entries) != 1 || entries[0].Actor != wb.Email || entries[0].Target != "user:"+s.rev1.Email {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
	if strings.Contains(entries[0].Details, "Thursday") {
		t.Errorf("the audit log carries the note: %s", entries[0].Details)
	}
	step(t, b, "the dashboard", chromedp.Navigate(h.ts.URL+"/wellbeing"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="acked-count"]`)))
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="alert"]').length`); n != 0 {
		t.Errorf("the dashboard still lists %d open alerts", n)
	}
}
