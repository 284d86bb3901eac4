package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/PuerkitoBio/goquery"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// reviewSetup is a queue with items, a lead and two assigned reviewers.
type reviewSetup struct {
	h              *harness
	queue          review.Queue
	lead, rev1, r2 person
	token          string
}

func newReviewSetup(t *testing.T, required int, items int) *reviewSetup {
	h := newHarness(t)
	ctx := context.Background()
	q := review.NewQueue("main")
	q.RequiredReviews = required
	q, err := h.db.CreateQueue(ctx, q, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s := &reviewSetup{h: h, queue: q,
		lead: h.addPerson("lead@example.org", true, review.RoleLead),
		rev1: h.addPerson("ana@example.org", true, review.RoleReviewer),
		r2:   h.addPerson("bo@example.org", true, review.RoleReviewer),
	}
	for _, p := range []person{s.rev1, s.r2} {
		h.db.SetMember(ctx, q.ID, p.ID, true, review.AuditEvent{Action: "test"})
	}
	yes := true
	h.db.CreateRule(ctx, review.Rule{Name: "all", QueueID: q.ID, Enabled: true, Conditions: review.Conditions{Public: &yes}}, review.AuditEvent{Action: "test"})
	s.token = h.apiToken("scanner", "photos")
	for i := range items {
		res := h.ingest(s.token, meta(fmt.Sprintf("item-%d", i), `,"context":{"public":true},"uploader":{"account_id":"acct-1"}`), media(testImage(64, 48, uint8(i))))
		if res.status != http.StatusCreated {
			t.Fatalf("ingest: %d %+v", res.status, res.err)
		}
	}
	return s
}

// claim starts reviewing and returns the held item's id and its page.
func (s *reviewSetup) claim(t *testing.T, c *client, csrf string) (int64, response) {
	t.Helper()
	res := c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {csrf}})
	loc := res.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/review/%d", &id); err != nil {
		t.Fatalf("claim went to %q (%d)", loc, res.StatusCode)
	}
	page := c.get(loc)
	if page.StatusCode != 200 {
		t.Fatalf("review page: %d", page.StatusCode)
	}
	return id, page
}

func (s *reviewSetup) reveal(c *client, csrf string, itemID int64, mediaID, step string) (*http.Response, revealJSON) {
	req, _ := http.NewRequest("POST", s.h.ts.URL+fmt.Sprintf("/review/%d/reveal", itemID), strings.NewReader(url.Values{"media": {mediaID}, "step": {step}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := c.http.Do(req)
	if err != nil {
		s.h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out revealJSON
	json.NewDecoder(res.Body).Decode(&out)
	return res, out
}

func TestReviewScreenIsBlurredAndRevealsAreSingleUse(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	id, page := s.claim(t, c, csrf)
	it, _ := h.db.FindItemByID(context.Background(), id)
	m := it.Media[0]
	if src, _ := page.doc.Find(`[data-testid="preview"]`).Attr("src"); src != "/media/"+m.ID+"/preview" {
		t.Errorf("the review screen shows %q, want the blurred preview", src)
	}
	if strings.Contains(page.body, "/reveal/") {
		t.Error("the page holds a reveal URL before any reveal")
	}
	prev := c.get("/media/" + m.ID + "/preview")
	if prev.StatusCode != 200 || !bytes.Equal([]byte(prev.body), h.object(m.ID, review.KindPreview)) || !strings.Contains(prev.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("preview: %d %q", prev.StatusCode, prev.Header.Get("Cache-Control"))
	}

	res, grant := s.reveal(c, csrf, id, m.ID, "colour")
	if res.StatusCode != 200 || !strings.HasPrefix(grant.URL, "/reveal/") || grant.ReblurSeconds != 10 {
		t.Fatalf("reveal: %d %+v", res.StatusCode, grant)
	}
	got := c.get(grant.URL)
	if got.StatusCode != 200 || !bytes.Equal([]byte(got.body), h.object(m.ID, review.KindOriginal)) || got.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("revealed colour: %d, Cache-Control %q", got.StatusCode, got.Header.Get("Cache-Control"))
	}
	if again := c.get(grant.URL); again.StatusCode != http.StatusNotFound {
		t.Errorf("second use of a reveal URL: %d", again.StatusCode)
	}
	// The grey step is rendered from the original on first use, greyscale
	// and unblurred at the original's size, and kept for the next reveal.
	_, g1 := s.reveal(c, csrf, id, m.ID, "grey")
	grey := c.get(g1.URL)
	img, err := jpeg.Decode(strings.NewReader(grey.body))
	if err != nil || img.Bounds().Dx() != m.Width || img.ColorModel() != color.GrayModel {
		t.Errorf("grey rendition: %v, %v, %T", err, img.Bounds(), img.ColorModel())
	}
	if !bytes.Equal([]byte(grey.body), h.object(m.ID, review.KindGrey)) {
		t.Error("the grey rendition was not kept")
	}
	_, late := s.reveal(c, csrf, id, m.ID, "grey")
	h.clock.Advance(61 * time.Second)
	if res := c.get(late.URL); res.StatusCode != http.StatusNotFound {
		t.Errorf("expired reveal URL: %d", res.StatusCode)
	}

	// Someone without the lease gets neither a grant nor the preview.
	other, otherCSRF := h.signIn(s.r2)
	if res, _ := s.reveal(other, otherCSRF, id, m.ID, "colour"); res.StatusCode != http.StatusNotFound {
		t.Errorf("reveal by a reviewer without the lease: %d", res.StatusCode)
	}
	if res := other.get("/media/" + m.ID + "/preview"); res.StatusCode != http.StatusForbidden {
		t.Errorf("preview for a reviewer without the lease: %d", res.StatusCode)
	}
	_, stolen := s.reveal(c, csrf, id, m.ID, "grey")
	if res := other.get(stolen.URL); res.StatusCode == http.StatusOK {
		t.Error("another reviewer used a reveal URL")
	}

	// Every reveal is in the ledger, capped at the policy whatever the page says.
	exposures, _ := h.db.FindExposures(context.Background(), id)
	if len(exposures) != 4 {
		t.Fatalf("%d exposures, want 4", len(exposures))
	}
	h.clock.Advance(time.Minute)
	res2 := c.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {csrf}, "exposure": {fmt.Sprint(exposures[0].ID)}})
	var closed map[string]any
	json.Unmarshal([]byte(res2.body), &closed)
	if closed["seconds"] != 10.0 || closed["closed_by"] != "cap" {
		t.Errorf("a late re-blur was accounted as %v", closed)
	}
}

func TestDecideAndNextStaysBlurredAndRecordsReveals(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	id, _ := s.claim(t, c, csrf)
	it, _ := h.db.FindItemByID(context.Background(), id)
	_, g := s.reveal(c, csrf, id, it.Media[0].ID, "grey")
	c.get(g.URL)
	h.clock.Advance(40 * time.Second)
	res := c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"violating"}, "category": {"B1"}})
	next := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(next, "/review/") || next == fmt.Sprintf("/review/%d", id) {
		t.Fatalf("submit and next: %d %q", res.StatusCode, next)
	}
	if page := c.get(next); strings.Contains(page.body, "/reveal/") || page.doc.Find(`[data-testid="preview"]`).Length() != 1 {
		t.Error("the next item did not arrive blurred")
	}
	ds, _ := h.db.FindDecisions(context.Background(), id)
	if len(ds) != 1 || !ds[0].Final || ds[0].Seconds < 40 || strings.Join(ds[0].Reveals, ",") != "grey" {
		t.Errorf("decision %+v", ds)
	}
	exposures, _ := h.db.FindExposures(context.Background(), id)
	if exposures[0].Open() || exposures[0].ClosedBy != "cap" {
		t.Errorf("exposure after the decision: %+v", exposures[0])
	}
	claims, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionItemClaimed, Actor: s.rev1.Email})
	if len(claims) != 2 || claims[1].Target != review.ItemTarget(id) {
		t.Errorf("claims audited: %+v", claims)
	}
	bad := c.post(next+"/decide", url.Values{"csrf": {csrf}, "verdict": {"violating"}})
	if bad.StatusCode != http.StatusBadRequest || bad.testid("error-category") == "" {
		t.Errorf("violating without category: %d", bad.StatusCode)
	}
}

func TestTwoPersonRuleEscalationAndOverride(t *testing.T) {
	s := newReviewSetup(t, 2, 2)
	h := s.h
	ctx := context.Background()
	src, _ := h.db.FindSourceByName(ctx, "photos")
	sealed, _ := h.vault.Seal(callbackSecretName(src.ID), []byte("a secret of sixteen+"))
	h.db.SetCallback(ctx, src.ID, "https://platform.example/hook", sealed, review.AuditEvent{Action: "test"})
	c1, csrf1 := h.signIn(s.rev1)
	c2, csrf2 := h.signIn(s.r2)

	// Agreement: violating A2 twice finalises.
	a, _ := s.claim(t, c1, csrf1)
	c1.post(fmt.Sprintf("/review/%d/decide", a), url.Values{"csrf": {csrf1}, "verdict": {"violating"}, "category": {"A2"}})
	if it, _ := h.db.FindItemByID(ctx, a); it.Status != review.StatusSecondReview {
		t.Fatalf("after the first violating verdict: %s", it.Status)
	}
	b, _ := s.claim(t, c1, csrf1) // the first reviewer gets the other item, never a
	if b == a {
		t.Fatal("the first reviewer was given the second review")
	}
	got, page := s.claim(t, c2, csrf2)
	// The second reviewer does not see the first verdict.
	if got != a || page.testid("second-review") == "" || page.doc.Find(`[data-testid="decisions"], [data-testid="decision-row"]`).Length() != 0 {
		t.Fatalf("second reviewer got %d, want %d", got, a)
	}
	c2.post(fmt.Sprintf("/review/%d/decide", a), url.Values{"csrf": {csrf2}, "verdict": {"violating"}, "category": {"A2"}})
	if it, _ := h.db.FindItemByID(ctx, a); it.Status != review.StatusDecided {
		t.Errorf("after agreement: %s", it.Status)
	}

	// Disagreement goes to the escalations queue, which a lead works.
	c1.post(fmt.Sprintf("/review/%d/decide", b), url.Values{"csrf": {csrf1}, "verdict": {"violating"}, "category": {"B1"}})
	got, _ = s.claim(t, c2, csrf2)
	c2.post(fmt.Sprintf("/review/%d/decide", got), url.Values{"csrf": {csrf2}, "verdict": {"not_violating"}})
	it, _ := h.db.FindItemByID(ctx, b)
	if it.Status != review.StatusEscalated || it.Queue != review.EscalationQueue {
		t.Fatalf("after disagreement: %s in %s", it.Status, it.Queue)
	}
	lc, lcsrf := h.signIn(s.lead)
	esc, _ := h.db.FindQueueByName(ctx, review.EscalationQueue)
	res := lc.post(fmt.Sprintf("/queues/%d/claim", esc.ID), url.Values{"csrf": {lcsrf}})
	if res.Header.Get("Location") != fmt.Sprintf("/review/%d", b) {
		t.Fatalf("lead claim: %q", res.Header.Get("Location"))
	}
	lc.post(fmt.Sprintf("/review/%d/decide", b), url.Values{"csrf": {lcsrf}, "verdict": {"not_violating"}})
	if it, _ := h.db.FindItemByID(ctx, b); it.Status != review.StatusDecided {
		t.Errorf("after the lead's decision: %s", it.Status)
	}
	if res := c1.post(fmt.Sprintf("/queues/%d/claim", esc.ID), url.Values{"csrf": {csrf1}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer claimed from escalations: %d", res.StatusCode)
	}

	// A lead overrides with a reason; the platform is told again.
	h.settle()
	before, _ := h.db.FindOutbox(ctx, review.KindCallback, 10)
	if r := lc.post(fmt.Sprintf("/items/%d/override", a), url.Values{"csrf": {lcsrf}, "verdict": {"not_violating"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("override without a reason: %d", r.StatusCode)
	}
	if r := lc.post(fmt.Sprintf("/items/%d/override", a), url.Values{"csrf": {lcsrf}, "verdict": {"not_violating"}, "note": {"the image is a diagram"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %s", r.StatusCode, r.testid("error"))
	}
	after, _ := h.db.FindOutbox(ctx, review.KindCallback, 10)
	if len(before) != 2 || len(after) != 3 || !strings.Contains(after[0].Payload, `"override"`) {
		t.Errorf("callbacks: %d before, %d after: %+v", len(before), len(after), after)
	}
	ds, _ := h.db.FindDecisions(ctx, a)
	finals := 0
	for _, d := range ds {
		if d.Final {
			finals++
			if d.Kind != review.KindOverride {
				t.Errorf("final decision is %s, want the override", d.Kind)
			}
		}
	}
	if finals != 1 {
		t.Errorf("%d final decisions", finals)
	}
	entries, _ := h.db.FindAuditEntries(ctx, review.AuditFilter{Action: "decision.override"})
	if len(entries) != 1 || entries[0].Actor != s.lead.Email {
		t.Errorf("override audit: %+v", entries)
	}
	if r := c1.post(fmt.Sprintf("/items/%d/override", a), url.Values{"csrf": {csrf1}, "verdict": {"violating"}, "category": {"A1"}, "note": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer overrode: %d", r.StatusCode)
	}
}

func TestLeadManagesQueue(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	lc, csrf := h.signIn(s.lead)
	page := lc.get(fmt.Sprintf("/queues/%d", s.queue.ID))
	if page.testid("depth") != "3" || page.doc.Find(`[data-testid="waiting"] img`).Length() != 3 {
		t.Errorf("queue page: depth %q, %d thumbnails", page.testid("depth"), page.doc.Find(`[data-testid="waiting"] img`).Length())
	}
	page.doc.Find(`[data-testid="waiting"] img`).Each(func(_ int, sel *goquery.Selection) {
		if src, _ := sel.Attr("src"); !strings.HasSuffix(src, "/preview") {
			t.Errorf("thumbnail %q is not the blurred preview", src)
		}
	})
	if v, _ := page.doc.Find(`input[name="spotlight_max_percent"]`).Attr("value"); v != "25" {
		t.Errorf("the spotlight cap field shows %q, want the default 25", v)
	}
	form := url.Values{"csrf": {csrf}, "name": {"main"}, "description": {"Main queue"}, "taxonomy": {"X1 = First (severe)\nX2 = Second"},
		"sla_hours": {"4"}, "steps": {"grey"}, "reblur_seconds": {"5"}, "spotlight_max_percent": {"10"}, "required_reviews": {"2"}, "reportable": {"on"}}
	if res := lc.post(fmt.Sprintf("/queues/%d", s.queue.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d %s", res.StatusCode, res.testid("error"))
	}
	q, _ := h.db.FindQueue(context.Background(), s.queue.ID)
	if q.RequiredReviews != 2 || q.Policy.ReblurSeconds != 5 || q.Policy.SpotlightPercent() != 10 || len(q.Taxonomy) != 2 || !q.Taxonomy[0].Severe || q.Policy.Allows("colour") {
		t.Errorf("saved queue %+v", q)
	}
	for field, bad := range map[string][2]string{"reblur_seconds": {"0", "between 1 and 120"}, "spotlight_max_percent": {"80", "spotlight may show between 1% and 50%"}} {
		good := form.Get(field)
		form.Set(field, bad[0])
		if res := lc.post(fmt.Sprintf("/queues/%d", s.queue.ID), form); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), bad[1]) {
			t.Errorf("bad %s: %d %q", field, res.StatusCode, res.testid("error"))
		}
		form.Set(field, good)
	}
	// Colour is no longer allowed: the server refuses it.
	c, rcsrf := h.signIn(s.rev1)
	id, _ := s.claim(t, c, rcsrf)
	it, _ := h.db.FindItemByID(context.Background(), id)
	if res, _ := s.reveal(c, rcsrf, id, it.Media[0].ID, "colour"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reveal step the policy forbids: %d", res.StatusCode)
	}
	// Pausing stops claims; removing a reviewer stops their access.
	form.Set("reblur_seconds", "5")
	form.Set("paused", "on")
	lc.post(fmt.Sprintf("/queues/%d", s.queue.ID), form)
	lc.post(fmt.Sprintf("/queues/%d/members/%d/remove", s.queue.ID, s.r2.ID), url.Values{"csrf": {csrf}})
	r2c, r2csrf := h.signIn(s.r2)
	if res := r2c.post(fmt.Sprintf("/queues/%d/claim", s.queue.ID), url.Values{"csrf": {r2csrf}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("removed reviewer claimed: %d", res.StatusCode)
	}
	if res := lc.post(fmt.Sprintf("/queues/%d/members", s.queue.ID), url.Values{"csrf": {csrf}, "user_id": {fmt.Sprint(s.lead.ID)}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("assigning someone without the reviewer role: %d", res.StatusCode)
	}
}

func TestStepAwayAndSignOutReleaseTheItem(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	id, _ := s.claim(t, c, csrf)
	if res := c.post(fmt.Sprintf("/review/%d/release", id), url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("step away: %d", res.StatusCode)
	}
	c2, csrf2 := h.signIn(s.r2)
	if got, _ := s.claim(t, c2, csrf2); got != id {
		t.Fatalf("the released item did not return: got %d", got)
	}
	if res := c2.post("/signout", url.Values{"csrf": {csrf2}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal("sign-out failed")
	}
	if got, _ := s.claim(t, c, csrf); got != id {
		t.Errorf("signing out did not release the item: got %d", got)
	}
	if res := c2.get(fmt.Sprintf("/review/%d", id)); res.Header.Get("Location") != "/signin" {
		t.Errorf("signed-out reviewer reached the item: %d", res.StatusCode)
	}
}
