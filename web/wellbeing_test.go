package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/loupe-review/loupe/review"
)

// setLimits sets the organisation's limits directly.
func (h *harness) setLimits(l review.Limits) {
	h.t.Helper()
	if err := h.db.SetLimits(context.Background(), review.ScopeOrg, 0, l, review.AuditEvent{Action: "test"}); err != nil {
		h.t.Fatal(err)
	}
}

// claimWithBudget sets the organisation's daily budget to seconds, signs
// the first reviewer in, and claims an item: the item and its first file.
func (s *reviewSetup) claimWithBudget(t *testing.T, seconds int) (c *client, csrf string, id int64, media string) {
	t.Helper()
	s.h.setLimits(review.Limits{review.LimitDailyBudget: seconds})
	c, csrf = s.h.signIn(s.rev1)
	id, _ = s.claim(t, c, csrf)
	it, _ := s.h.db.FindItemByID(context.Background(), id)
	return c, csrf, id, it.Media[0].ID
}

func TestBudgetRefusesRevealAndClaimUntilTomorrow(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	// 20 weighted seconds a day: one 10-second colour reveal spends it.
	c, csrf, id, m := s.claimWithBudget(t, 20)

	// 16 of 20 seconds spent on grey: the page warns, and the next colour
	// reveal is cut to the 2 seconds the budget leaves.
	res, grant := s.reveal(c, csrf, id, m, "grey")
	if res.StatusCode != 200 || grant.ReblurSeconds != 10 {
		t.Fatalf("first reveal: %d %+v", res.StatusCode, grant)
	}
	h.clock.Advance(8 * time.Second)
	c.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {csrf}, "exposure": {fmt.Sprint(grant.Exposure)}})
	_, grant = s.reveal(c, csrf, id, m, "grey")
	h.clock.Advance(8 * time.Second)
	c.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {csrf}, "exposure": {fmt.Sprint(grant.Exposure)}})
	page := c.get(fmt.Sprintf("/review/%d", id))
	if w := page.testid("warnings"); !strings.Contains(w, "80% of today's exposure budget") {
		t.Errorf("warning at 80%% of the budget: %q", w)
	}
	res, grant = s.reveal(c, csrf, id, m, "colour")
	if res.StatusCode != 200 || grant.ReblurSeconds != 2 {
		t.Fatalf("colour reveal with 4 budget seconds left: %d, lasts %d s, want 2", res.StatusCode, grant.ReblurSeconds)
	}
	// The page never reports back: the reveal is accounted at its cap.
	h.clock.Advance(time.Minute)
	if n, err := h.db.CloseStaleExposures(context.Background(), h.clock.Now()); n != 1 || err != nil {
		t.Fatalf("stale sweep closed %d, %v", n, err)
	}
	ex, _ := h.db.FindExposures(context.Background(), id)
	if last := ex[len(ex)-1]; last.Seconds != 2 || last.ClosedBy != "cap" {
		t.Errorf("unreported reveal accounted as %v s (%s), want 2 s at the cap", last.Seconds, last.ClosedBy)
	}

	// The budget is spent: the next reveal is refused and sends the
	// reviewer to the break page; the item goes back to its queue.
	res, _ = s.reveal(c, csrf, id, m, "grey")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/break" {
		t.Fatalf("reveal over budget: %d %q, want 303 to /break", res.StatusCode, res.Header.Get("Location"))
	}
	if it, _ := h.db.FindItemByID(context.Background(), id); it.HeldBy(s.rev1.ID, h.clock.Now()) {
		t.Error("the reviewer still holds the item on a break")
	}
	claim := c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}})
	if claim.StatusCode != http.StatusSeeOther || claim.Header.Get("Location") != "/break" {
		t.Errorf("claim over budget: %d %q", claim.StatusCode, claim.Header.Get("Location"))
	}
	brk := c.get("/break")
	if !strings.Contains(brk.testid("break-reason"), "today's exposure budget") || brk.testid("break-until") != "00:00 UTC" {
		t.Errorf("break page: %q until %q", brk.testid("break-reason"), brk.testid("break-until"))
	}
	if brk.doc.Find(`[data-testid="end-break"]`).Length() != 0 {
		t.Error("an enforced break offers to end it")
	}
	// Another reviewer is not affected.
	c2, csrf2 := h.signIn(s.r2)
	s.claim(t, c2, csrf2)

	// Tomorrow the budget starts again.
	h.clock.Advance(15 * time.Hour)
	c, csrf = h.signIn(s.rev1)
	s.claim(t, c, csrf)
	entries, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionBreakStarted})
	if len(entries) != 1 || entries[0].Actor != s.rev1.Email {
		t.Errorf("break audit entries: %+v", entries)
	}
}

// A reviewer who spent their budget on the item they hold gets that item
// back when they claim again (a reload, "Start reviewing"), to decide it
// without looking again: it was admitted when claimed. The next reveal
// starts their break, and takes the item from them.
func TestSpentBudgetKeepsTheHeldItemButNoReveal(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	c, csrf, id, m := s.claimWithBudget(t, 10)
	_, grant := s.reveal(c, csrf, id, m, "grey")
	h.clock.Advance(10 * time.Second)
	c.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {csrf}, "exposure": {fmt.Sprint(grant.Exposure)}})
	claim := c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}})
	if loc := claim.Header.Get("Location"); loc != fmt.Sprintf("/review/%d", id) {
		t.Fatalf("claim with the item held and the budget spent: %d %q, want the held item", claim.StatusCode, loc)
	}
	res, _ := s.reveal(c, csrf, id, m, "grey")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/break" {
		t.Fatalf("reveal over budget: %d %q, want 303 to /break", res.StatusCode, res.Header.Get("Location"))
	}
	if it, _ := h.db.FindItemByID(context.Background(), id); it.HeldBy(s.rev1.ID, h.clock.Now()) {
		t.Error("the reviewer still holds the item on a break")
	}
}

func TestRevealTimePerItemAndQueueOverride(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	h.db.SetLimits(context.Background(), review.ScopeQueue, s.queue.ID, review.Limits{review.LimitRevealPerItem: 12}, review.AuditEvent{Action: "test"})
	c, csrf := h.signIn(s.rev1)
	id, _ := s.claim(t, c, csrf)
	it, _ := h.db.FindItemByID(context.Background(), id)
	_, grant := s.reveal(c, csrf, id, it.Media[0].ID, "grey")
	h.clock.Advance(10 * time.Second)
	_, grant = s.reveal(c, csrf, id, it.Media[0].ID, "grey")
	if grant.ReblurSeconds != 2 {
		t.Errorf("second reveal lasts %d s, want the 2 s left of the queue's 12", grant.ReblurSeconds)
	}
	h.clock.Advance(3 * time.Second)
	res, _ := s.reveal(c, csrf, id, it.Media[0].ID, "grey")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("reveal past the item's reveal time: %d, want 403", res.StatusCode)
	}
}

func TestContinuousWorkForcesABreak(t *testing.T) {
	s := newReviewSetup(t, 1, 20)
	h := s.h
	h.setLimits(review.Limits{review.LimitContinuous: 30, review.LimitBreak: 10})
	c, csrf := h.signIn(s.rev1)
	decide := func() {
		t.Helper()
		id, _ := s.claim(t, c, csrf)
		h.clock.Advance(4 * time.Minute)
		res := c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("decide: %d", res.StatusCode)
		}
	}
	for range 8 { // 32 minutes of decisions
		decide()
	}
	claim := c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}})
	if claim.Header.Get("Location") != "/break" {
		t.Fatalf("claim after 32 minutes: %q, want the break page", claim.Header.Get("Location"))
	}
	if r := c.get("/break").testid("break-reason"); !strings.Contains(r, "long stretch") {
		t.Errorf("break reason %q", r)
	}
	h.clock.Advance(9 * time.Minute)
	if c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}}).Header.Get("Location") != "/break" {
		t.Error("claimed during the break")
	}
	h.clock.Advance(time.Minute)
	decide() // the break ran its length: a new stretch starts
}

func TestStepAwayAndCheckIn(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	id, page := s.claim(t, c, csrf)
	if page.doc.Find(`[data-testid="step-away"]`).Length() != 1 {
		t.Fatal("no step-away button on the review screen")
	}
	res := c.post("/break", url.Values{"csrf": {csrf}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/break" {
		t.Fatalf("step away: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if it, _ := h.db.FindItemByID(context.Background(), id); it.HeldBy(s.rev1.ID, h.clock.Now()) || it.Status != review.StatusQueued {
		t.Errorf("after stepping away the item is %s, held %v", it.Status, it.HeldBy(s.rev1.ID, h.clock.Now()))
	}
	brk := c.get("/break")
	if !strings.Contains(brk.testid("break-reason"), "stepped away") || brk.testid("break-left") == "" {
		t.Errorf("break page: %q", brk.testid("break"))
	}
	if c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}}).Header.Get("Location") != "/break" {
		t.Error("claimed during a step-away break")
	}
	// A step-away break may end early; a check-in follows, all optional.
	h.clock.Advance(2 * time.Minute)
	if res := c.post("/break/end", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end break: %d", res.StatusCode)
	}
	over := c.get("/break")
	if over.doc.Find(`[data-testid="checkin"]`).Length() != 1 {
		t.Fatal("no check-in offered after the break")
	}
	if res := c.post("/me/checkins", url.Values{"csrf": {csrf}, "mood": {"9"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("mood 9: %d", res.StatusCode)
	}
	res = c.post("/me/checkins", url.Values{"csrf": {csrf}, "mood": {"3"}, "note": {"tired but fine"}, "break": {over.doc.Find(`input[name="break"]`).AttrOr("value", "")}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/queues" {
		t.Errorf("check-in: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if c.get("/break").doc.Find(`[data-testid="checkin"]`).Length() != 0 {
		t.Error("the check-in is offered again")
	}
	s.claim(t, c, csrf)
	me := c.get("/me")
	if !strings.Contains(me.testid("checkins"), "tired but fine") || me.testid("breaks-today") != "1" {
		t.Errorf("own page: check-ins %q, breaks %q", me.testid("checkins"), me.testid("breaks-today"))
	}
	// Private: the wellbeing dashboard shows no unshared check-in.
	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	cw, _ := h.signIn(wb)
	if body := cw.get(fmt.Sprintf("/wellbeing/people/%d", s.rev1.ID)).body; strings.Contains(body, "tired but fine") {
		t.Error("wellbeing staff see a private check-in")
	}
}

// TestWellbeingPagesShowNoContent renders every page the wellbeing role
// may reach, after real reviews of items with telltale metadata, and
// checks that no media URL, image or item content appears.
func TestWellbeingPagesShowNoContent(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	q := h.addQueue("telltale-queue")
	rev := h.addPerson("rev@example.org", true, review.RoleReviewer)
	h.db.SetMember(ctx, q, rev.ID, true, review.AuditEvent{Action: "test"})
	h.db.CreateRule(ctx, review.Rule{Name: "all", QueueID: q, Enabled: true}, review.AuditEvent{Action: "test"})
	token := h.apiToken("scanner", "photos")
	secrets := []string{"ext-quokka", "zebra_uploader", "content.example", "Quentin Quokka", "203.0.113.77", "nudity_classifier_x"}
	extra := `,"content_url":"https://content.example/p/1","uploader":{"account_id":"acct-9","screen_name":"zebra_uploader","display_name":"Quentin Quokka","ip":"203.0.113.77"},"classifier":{"name":"nudity_classifier_x","scores":{"csam":0.9}}`
	for i := range 2 {
		if res := h.ingest(token, meta(fmt.Sprintf("ext-quokka-%d", i), extra), media(testImage(32, 32, uint8(i)))); res.status != http.StatusCreated {
			t.Fatalf("ingest: %d", res.status)
		}
	}
	c, csrf := h.signIn(rev)
	s := &reviewSetup{h: h, queue: review.Queue{ID: q}}
	id, _ := s.claim(t, c, csrf)
	it, _ := h.db.FindItemByID(ctx, id)
	s.reveal(c, csrf, id, it.Media[0].ID, "colour")
	h.clock.Advance(5 * time.Second)
	c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"violating"}, "category": {"A1"}})
	c.post("/break", url.Values{"csrf": {csrf}})
	h.db.AddCheckIn(ctx, review.CheckIn{UserID: rev.ID, Mood: 4, Shared: true, CreatedAt: h.clock.Now()})

	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	cw, _ := h.signIn(wb)
	for pattern, a := range routeAccess {
		method, path, _ := strings.Cut(pattern, " ")
		if method != "GET" || !slices.Contains(a.roles, review.RoleWellbeing) {
			continue
		}
		path = strings.NewReplacer("{id}", fmt.Sprint(rev.ID), "{$}", "").Replace(path)
		for _, query := range []string{"", "?days=1", "?days=30"} {
			res := cw.get(path + query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s%s: %d", path, query, res.StatusCode)
			}
			for _, bad := range append(secrets, "/media/", "/reveal/", "<img", "/items/", "/review/") {
				if strings.Contains(res.body, bad) {
					t.Errorf("%s%s shows %q", path, query, bad)
				}
			}
		}
	}
	// And the figures are there: 5 colour seconds, weighted 10.
	dash := cw.get("/wellbeing?days=1")
	row := dash.doc.Find(`[data-testid="person-row"]`).FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "rev@example.org") })
	if !strings.Contains(row.Text(), "10 s") || !strings.Contains(row.Text(), "5 s") {
		t.Errorf("dashboard row: %q", row.Text())
	}
	rows, err := csv.NewReader(strings.NewReader(cw.get("/wellbeing/export.csv?days=7").body)).ReadAll()
	if err != nil || len(rows) != 1+7 || rows[0][1] != "reviewer" {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		if r[1] == "rev@example.org" && r[0] == h.clock.Now().Format("2006-01-02") && (r[3] != "5.0" || r[6] != "10.0" || r[7] != "5.0" || r[11] != "1") {
			t.Errorf("today's CSV row: %v", r)
		}
	}
}

func TestWellbeingStaffSetLimits(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	cw, csrf := h.signIn(wb)
	res := cw.post("/wellbeing/limits", url.Values{"csrf": {csrf}, "daily_budget_minutes": {"10"}, "timezone": {"Mars/Olympus"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), "time zone") {
		t.Errorf("bad time zone: %d %q", res.StatusCode, res.testid("error"))
	}
	res = cw.post("/wellbeing/limits", url.Values{"csrf": {csrf}, "daily_budget_minutes": {"10"}, "break_minutes": {"0"}, "timezone": {"UTC"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), "at least 1") {
		t.Errorf("break of 0 minutes: %d %q", res.StatusCode, res.testid("error"))
	}
	res = cw.post("/wellbeing/limits", url.Values{"csrf": {csrf}, "daily_budget_minutes": {"10"}, "timezone": {"Europe/Dublin"}, "support": {"Counsellor | tel:+3531000000"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save org limits: %d %q", res.StatusCode, res.testid("error"))
	}
	res = cw.post(fmt.Sprintf("/wellbeing/people/%d/limits", s.rev1.ID), url.Values{"csrf": {csrf}, "daily_budget_minutes": {"5"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save person limits: %d", res.StatusCode)
	}
	c, _ := h.signIn(s.rev1)
	me := c.get("/me")
	if !strings.Contains(me.body, "5 min 00 s") || !strings.Contains(me.testid("support"), "Counsellor") {
		t.Errorf("own page: budget left %q, support %q", me.testid("budget-left"), me.testid("support"))
	}
	l, _ := h.srv.wellbeing.EffectiveLimits(context.Background(), s.queue.ID, s.r2.ID)
	if l[review.LimitDailyBudget] != 600 || h.srv.wellbeing.Zone(context.Background()).String() != "Europe/Dublin" {
		t.Errorf("another reviewer's budget %d, zone %v", l[review.LimitDailyBudget], h.srv.wellbeing.Zone(context.Background()))
	}
	entries, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionLimitsChanged})
	if len(entries) != 2 || entries[0].Actor != wb.Email {
		t.Errorf("limit changes audited: %d", len(entries))
	}
}
