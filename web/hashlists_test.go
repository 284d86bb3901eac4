package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// referencePhoto is a real photograph (a bridge, from the PDQ reference
// set): PDQ needs detail to hash well, which flat test images lack.
func referencePhoto(t *testing.T) image.Image {
	t.Helper()
	f, err := os.Open("../review/pdq/testdata/bridge-mods/aaa-orig.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func pngOf(img image.Image) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// rotate90 turns an image a quarter turn clockwise.
func rotate90(src image.Image) image.Image {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.Set(b.Max.Y-1-y, x-b.Min.X, src.At(x, y))
		}
	}
	return dst
}

func TestHashListsFromDecisionToMatch(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	h := s.h
	ctx := context.Background()
	// The deciding reviewer is also a lead: they still may not approve.
	deciderLead := h.addPerson("dl@example.org", true, review.RoleReviewer, review.RoleLead)
	h.db.SetMember(ctx, s.queue.ID, deciderLead.ID, true, review.AuditEvent{Action: "test"})
	lc, lcsrf := h.signIn(s.lead)
	if res := lc.post("/hashlists", url.Values{"csrf": {lcsrf}, "name": {"known"}, "kind": {"block"}, "category": {"A1"}, "threshold": {"31"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create list: %d %s", res.StatusCode, res.testid("error"))
	}
	list, _ := h.db.FindHashListByName(ctx, "known")
	q, _ := h.db.FindQueue(ctx, s.queue.ID)
	q.ProposeListID = list.ID
	h.db.UpdateQueue(ctx, q, review.AuditEvent{Action: "test"})
	hashQueue := h.addQueue("hash-hits")
	h.db.CreateRule(ctx, review.Rule{Name: "known content", QueueID: hashQueue, Enabled: true, Conditions: review.Conditions{HashMatch: "block"}}, review.AuditEvent{Action: "test"})

	photo := pngOf(referencePhoto(t))
	first := h.ingest(s.token, meta("photo-1", `,"context":{"public":true}`), media(photo))
	if first.status != http.StatusCreated || first.item.Queue != "main" {
		t.Fatalf("first ingest: %d %s", first.status, first.item.Queue)
	}
	c, csrf := h.signIn(deciderLead)
	id, _ := s.claim(t, c, csrf)
	c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"violating"}, "category": {"A1"}})
	h.settle()
	ps, _ := h.db.FindProposals(ctx, list.ID, "pending")
	if len(ps) != 3 {
		t.Fatalf("%d proposals, want sha256, md5 and pdq", len(ps))
	}
	ids := url.Values{"csrf": {csrf}, "action": {"approve"}}
	for _, p := range ps {
		ids.Add("ids", fmt.Sprint(p.ID))
	}
	if res := c.post(fmt.Sprintf("/hashlists/%d/proposals", list.ID), ids); res.StatusCode != http.StatusForbidden {
		t.Errorf("the deciding reviewer approved their own proposals: %d", res.StatusCode)
	}
	ids.Set("csrf", lcsrf)
	if res := lc.post(fmt.Sprintf("/hashlists/%d/proposals", list.ID), ids); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, res.testid("error"))
	}

	// Without a restart, a rotated copy arriving now matches and is routed.
	// (Not public, so the setup's catch-all rule for public items does not take it first.)
	rotated := h.ingest(s.token, meta("photo-rotated", `,"context":{"public":false}`), media(pngOf(rotate90(referencePhoto(t)))))
	if rotated.item.Queue != "hash-hits" {
		t.Fatalf("rotated copy went to %q", rotated.item.Queue)
	}
	ms, _ := h.db.FindMatches(ctx, rotated.item.ID)
	if len(ms) != 1 || ms[0].List != "known" || ms[0].HashType != "pdq" || ms[0].Variant == "original" || ms[0].Distance > 31 {
		t.Errorf("matches of the rotated copy: %+v", ms)
	}
	// The reviewer sees the match beside the (blurred) image.
	h.db.SetMember(ctx, hashQueue, deciderLead.ID, true, review.AuditEvent{Action: "test"})
	claimed := c.post(fmt.Sprintf("/queues/%d/claim", hashQueue), url.Values{"csrf": {csrf}})
	if page := c.get(claimed.Header.Get("Location")); !strings.Contains(page.testid("matches"), "known") {
		t.Errorf("review screen matches: %q", page.testid("matches"))
	}
	exact := h.ingest(s.token, meta("photo-again", ``), media(photo))
	if ms, _ := h.db.FindMatches(ctx, exact.item.ID); len(ms) < 2 {
		t.Errorf("an identical copy matched %d entries, want exact and pdq", len(ms))
	}

	// The review screen shows the match; the export carries the entries.
	_, partner, _ := review.NewToken(ctx, h.db, h.srv.random, "test", "partner", "partner", review.ListScope(list))
	export := func(since string) (string, string) {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/hashlists/%d/export?format=csv&since=%s", h.ts.URL, list.ID, since), nil)
		req.Header.Set("Authorization", "Bearer "+partner)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b), res.Header.Get("Loupe-List-Version")
	}
	full, version := export("0")
	if strings.Count(full, "\n") != 4 || !strings.Contains(full, ms[0].HashType) {
		t.Errorf("full export:\n%s", full)
	}

	// Overturning the decision retracts its entries: they stop matching and
	// the delta export carries them as tombstones.
	lc.post(fmt.Sprintf("/items/%d/override", id), url.Values{"csrf": {lcsrf}, "verdict": {"not_violating"}, "note": {"a photo of a bridge"}})
	after := h.ingest(s.token, meta("photo-after", `,"context":{"public":false}`), media(photo))
	if after.item.Queue == "hash-hits" {
		t.Error("a retracted entry still routes")
	}
	delta, _ := export(version)
	if strings.Count(delta, "retracted") != 3 {
		t.Errorf("delta export since %s:\n%s", version, delta)
	}
	ingestToken := s.token
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/hashlists/%d/export", h.ts.URL, list.ID), nil)
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("an ingest token exported a list: %d", res.StatusCode)
	}
}

func TestSearchByImage(t *testing.T) {
	h := newHarness(t)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	c, csrf := h.signIn(lead)
	ctx := context.Background()
	l, _ := h.srv.hashes.Create(ctx, "test", review.HashList{Name: "known", Kind: "block", Enabled: true})
	photo := pngOf(referencePhoto(t))
	res := h.ingest(h.apiToken("t", "s"), meta("x", ""), media(photo))
	search := func() response {
		var buf bytes.Buffer
		ct, body := itemForm(t, part{name: "csrf", body: []byte(csrf)}, part{name: "image", file: "q.png", body: photo})
		buf.Write(body)
		req, _ := http.NewRequest("POST", h.ts.URL+"/hashlists/search", &buf)
		req.Header.Set("Content-Type", ct)
		return c.do(req)
	}
	if got := search(); got.testid("no-matches") == "" {
		t.Errorf("an empty list matched: %s", got.testid("matches"))
	}
	m := res.item.Media[0]
	if _, err := h.srv.hashes.Import(ctx, "test", l, importRows("sha256", m.SHA256)); err != nil {
		t.Fatal(err)
	}
	if got := search(); got.doc.Find(`[data-testid="match-row"]`).Length() != 1 {
		t.Errorf("search by image found %d matches", got.doc.Find(`[data-testid="match-row"]`).Length())
	}
}
