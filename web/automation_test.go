package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestKnownMaterialDecidedAtIngestWithoutALook: a lead sets a queue to
// decide matches of a block list; an imported entry decides nothing until
// a lead marks the list trusted, and then a copy of the listed picture is
// decided at ingest, recorded as automated, with no reveal.
func TestKnownMaterialDecidedAtIngestWithoutALook(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	h, ctx := s.h, context.Background()
	l, err := h.srv.hashes.Create(ctx, "test", review.HashList{Name: "known", Kind: "block", Category: "A1", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	photo := pngOf(referencePhoto(t))
	first := h.ingest(s.token, meta("p-0", `,"context":{"public":true}`), media(photo))
	if _, err := h.srv.hashes.Import(ctx, "test", l, importRows("sha256", first.item.Media[0].SHA256)); err != nil {
		t.Fatal(err)
	}

	rc, rcsrf := h.signIn(s.rev1)
	form := url.Values{"auto_enabled": {"on"}, "auto_block_list": {fmt.Sprint(l.ID)}, "auto_block_distance": {"10"}, "auto_allow_list": {"0"}, "auto_allow_distance": {"0"}}
	form.Set("csrf", rcsrf)
	if res := rc.post(fmt.Sprintf("/queues/%d/automation", s.queue.ID), form); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer configured automation: %d", res.StatusCode)
	}
	lc, lcsrf := h.signIn(s.lead)
	form.Set("csrf", lcsrf)
	form.Set("auto_block_distance", "99")
	if res := lc.post(fmt.Sprintf("/queues/%d/automation", s.queue.ID), form); res.StatusCode != http.StatusBadRequest {
		t.Errorf("distance 99 accepted: %d", res.StatusCode)
	}
	form.Set("auto_block_distance", "10")
	if res := lc.post(fmt.Sprintf("/queues/%d/automation", s.queue.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save automation: %d %s", res.StatusCode, res.testid("error"))
	}
	if page := lc.get(fmt.Sprintf("/queues/%d", s.queue.ID)); !strings.Contains(page.testid("automation-state"), s.lead.Email) {
		t.Errorf("queue page says %q, want the reviewer of record", page.testid("automation-state"))
	}

	untrusted := h.ingest(s.token, meta("p-1", `,"context":{"public":true}`), media(photo))
	if untrusted.item.Status != string(review.StatusQueued) {
		t.Errorf("an imported entry of an untrusted list decided the item: %s", untrusted.item.Status)
	}
	if res := lc.post(fmt.Sprintf("/hashlists/%d/trusted", l.ID), url.Values{"csrf": {lcsrf}, "trusted": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("trust the list: %d", res.StatusCode)
	}
	trusted := h.ingest(s.token, meta("p-2", `,"context":{"public":true}`), media(photo))
	if trusted.item.Status != string(review.StatusDecided) {
		t.Fatalf("a copy of trusted known material: %s, want decided", trusted.item.Status)
	}
	ds, _ := h.db.FindDecisions(ctx, trusted.item.ID)
	if len(ds) != 1 || ds[0].Kind != review.KindAutomated || ds[0].Reviewer != s.lead.Email || ds[0].Category != "A1" {
		t.Errorf("decisions %+v", ds)
	}
	if ex, _ := h.db.FindExposures(ctx, trusted.item.ID); len(ex) != 0 {
		t.Errorf("%d reveals of an item decided without a look", len(ex))
	}
	if page := rc.get("/me"); page.doc.Find(`[data-testid="per-reveal"]`).Length() != 3 {
		t.Errorf("/me shows items decided per reveal %d times, want today, 7 and 30 days", page.doc.Find(`[data-testid="per-reveal"]`).Length())
	}
}
