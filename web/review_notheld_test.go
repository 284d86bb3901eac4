package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestReviewRoutesAnswer404AlikeForItemsNotHeld is the probe of issue #14:
// a reviewer walks item ids through every /review/{id} route. Whether the
// item does not exist, sits in a queue they are not in, waits unclaimed in
// their own queue or is held by a colleague, the answer is the same 404,
// byte for byte, and it changes nothing.
func TestReviewRoutesAnswer404AlikeForItemsNotHeld(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	ctx := context.Background()
	prober, pcsrf := h.signIn(s.rev1)
	colleague, ccsrf := h.signIn(s.r2)

	held, _ := s.claim(t, colleague, ccsrf)
	heldItem, _ := h.db.FindItemByID(ctx, held)
	_, grant := s.reveal(colleague, ccsrf, held, heldItem.Media[0].ID, "grey")
	elsewhere := h.addQueue("elsewhere")
	var waiting, moved int64
	for id := int64(1); id <= 3; id++ { // the setup's three items
		switch {
		case id == held:
		case moved == 0:
			moved = id
			h.sqlExec(`UPDATE items SET queue_id = ? WHERE id = ?`, elsewhere, moved)
		default:
			waiting = id
		}
	}
	targets := map[string]int64{"no such item": 999999, "another queue's item": moved, "an unclaimed item": waiting, "a colleague's item": held}

	routes := []struct {
		name string
		do   func(id int64) response
	}{
		{"GET /review/{id}", func(id int64) response { return prober.get(fmt.Sprintf("/review/%d", id)) }},
		{"POST /review/{id}/lease", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/lease", id), url.Values{"csrf": {pcsrf}})
		}},
		{"POST /review/{id}/release", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/release", id), url.Values{"csrf": {pcsrf}})
		}},
		{"POST /review/{id}/decide", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {pcsrf}, "verdict": {"not_violating"}})
		}},
		{"POST /review/{id}/split", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/split", id), url.Values{"csrf": {pcsrf}, "member": {fmt.Sprint(held)}})
		}},
		{"POST /review/{id}/reveal", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/reveal", id), url.Values{"csrf": {pcsrf}, "media": {heldItem.Media[0].ID}, "step": {"colour"}})
		}},
		{"POST /review/{id}/reblur", func(id int64) response {
			return prober.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {pcsrf}, "exposure": {fmt.Sprint(grant.Exposure)}})
		}},
	}
	var first string
	for _, rt := range routes {
		for what, id := range targets {
			res := rt.do(id)
			if first == "" {
				first = res.body
			}
			if res.StatusCode != http.StatusNotFound || res.body != first {
				t.Errorf("%s for %s (item %d): %d %s, want the same 404 as every other\n%s", rt.name, what, id, res.StatusCode, res.Header.Get("Location"), res.body)
			}
		}
	}
	// The probing changed nothing: the colleague still holds their item,
	// with their reveal open, and no decision was recorded.
	if it, _ := h.db.FindItemByID(ctx, held); !it.HeldBy(s.r2.ID, h.clock.Now()) {
		t.Error("the probe released a colleague's item")
	}
	if ex, _ := h.db.FindExposures(ctx, held); len(ex) != 1 || !ex[0].Open() {
		t.Errorf("the colleague's exposures after the probe: %+v", ex)
	}
	for _, id := range []int64{held, moved, waiting} {
		if ds, _ := h.db.FindDecisions(ctx, id); len(ds) != 0 {
			t.Errorf("item %d has decisions after the probe: %+v", id, ds)
		}
	}
	if res := colleague.get(fmt.Sprintf("/review/%d", held)); res.StatusCode != http.StatusOK {
		t.Errorf("the holder's own review page: %d", res.StatusCode)
	}

	// A reviewer whose lease ended still closes their own reveal, so the
	// ledger stays true, and is then told the item is no longer theirs.
	h.clock.Advance(review.DefaultLease + time.Minute)
	if res := colleague.post(fmt.Sprintf("/review/%d/reblur", held), url.Values{"csrf": {ccsrf}, "exposure": {fmt.Sprint(grant.Exposure)}}); res.StatusCode != http.StatusOK {
		t.Errorf("re-blur after the lease ended: %d", res.StatusCode)
	}
	// Error pages carry the visitor's own menu: the same 404, seen by the colleague.
	asProber := strings.NewReplacer(s.r2.Email, s.rev1.Email, ccsrf, pcsrf)
	if res := colleague.get(fmt.Sprintf("/review/%d", held)); res.StatusCode != http.StatusNotFound || asProber.Replace(res.body) != first {
		t.Errorf("the review page after the lease ended: %d", res.StatusCode)
	}
}
