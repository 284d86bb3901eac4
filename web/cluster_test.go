package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/loupe-review/loupe/review"
	"golang.org/x/image/draw"
)

// sceneImage is a harmless synthetic picture (stripes and discs) whose
// PDQ hash survives re-encoding, resizing, turning and mirroring, as
// photographs' do.
func sceneImage(w, h, seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			band := uint8(((x*(3+seed)/w + y*(2+seed%3)/h) % 2) * 90)
			img.Set(x, y, color.RGBA{uint8(x*200/w) + band/2, uint8(y*200/h) + band/3, uint8(seed*40) + band/2, 255})
		}
	}
	for k := range 4 {
		cx, cy, r := (seed*37+k*53)%w, (seed*71+k*29)%h, w/8+k*w/40
		for y := max(0, cy-r); y < min(h, cy+r); y++ {
			for x := max(0, cx-r); x < min(w, cx+r); x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) < r*r {
					img.Set(x, y, color.RGBA{uint8(255 - k*60), uint8(k * 60), 30, 255})
				}
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// copiesOf returns harmless synthetic copies of one picture, as platforms
// receive them: the PNG itself, a JPEG re-encode, a resize, a turn by 90
// degrees and a mirror image.
func copiesOf(t *testing.T, original []byte) map[string][]byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(original))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	enc := func(m image.Image, asJPEG bool) []byte {
		var buf bytes.Buffer
		if asJPEG {
			jpeg.Encode(&buf, m, &jpeg.Options{Quality: 70})
		} else {
			png.Encode(&buf, m)
		}
		return buf.Bytes()
	}
	big := image.NewRGBA(image.Rect(0, 0, b.Dx()*2, b.Dy()*2))
	draw.CatmullRom.Scale(big, big.Bounds(), img, b, draw.Src, nil)
	turned := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	mirror := image.NewRGBA(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			turned.Set(b.Dy()-1-y, x, img.At(x, y))
			mirror.Set(b.Dx()-1-x, y, img.At(x, y))
		}
	}
	return map[string][]byte{"original": original, "jpeg": enc(img, true), "resized": enc(big, false), "rotated": enc(turned, false), "mirrored": enc(mirror, true)}
}

// clusterSetup is a reportable queue holding five copies of one picture
// (three from acct-1) and an unrelated picture, with callbacks on.
type clusterSetup struct {
	*reportSetup
	ids       map[string]int64
	unrelated int64
}

func newClusterSetup(t *testing.T, required int) *clusterSetup {
	rs := newReportSetup(t)
	h, ctx := rs.h, context.Background()
	rs.r2 = h.addPerson("bo@example.org", true, review.RoleReviewer)
	h.db.SetMember(ctx, rs.queue.ID, rs.r2.ID, true, review.AuditEvent{Action: "test"})
	src, _ := h.db.FindSourceByName(ctx, "photos")
	sealed, _ := h.vault.Seal(callbackSecretName(src.ID), []byte("a secret of sixteen+"))
	h.db.SetCallback(ctx, src.ID, "https://platform.example/hook", sealed, review.AuditEvent{Action: "test"})
	// The report setup's own items are decided first, so the queue holds
	// only the copies.
	for range 4 {
		rs.decideNext(t, "grey")
	}
	q, _ := h.db.FindQueue(ctx, rs.queue.ID)
	q.RequiredReviews = required
	if err := h.db.UpdateQueue(ctx, q, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	rs.queue = q
	s := &clusterSetup{reportSetup: rs, ids: map[string]int64{}}
	accounts := map[string]string{"original": "acct-1", "jpeg": "acct-2", "resized": "acct-1", "rotated": "acct-3", "mirrored": "acct-1"}
	for _, name := range []string{"original", "jpeg", "resized", "rotated", "mirrored", "unrelated"} {
		body := sceneImage(320, 240, 4)
		if name != "unrelated" {
			body = copiesOf(t, sceneImage(320, 240, 3))[name]
		}
		res := h.ingest(rs.token, meta("copy-"+name, fmt.Sprintf(`,"uploader":{"account_id":%q}`, accounts[name])), media(body))
		if res.status != http.StatusCreated {
			t.Fatalf("ingest %s: %d %+v", name, res.status, res.err)
		}
		s.ids[name] = res.item.ID
	}
	s.unrelated = s.ids["unrelated"]
	delete(s.ids, "unrelated")
	return s
}

// memberIDs lists the items in the review page's cluster strip.
func memberIDs(page response) []string {
	var out []string
	page.doc.Find(`[data-testid="member"]`).Each(func(_ int, f *goquery.Selection) {
		out = append(out, f.AttrOr("data-item", ""))
	})
	return out
}

// TestClusterDecidedTogether: the copies (exact, re-encoded, resized,
// turned, mirrored) form one cluster and the unrelated picture stays out;
// the reviewer sees one representative and a strip of the others, takes
// one out, reveals the representative and decides once; each member left
// gets its own decision (marked with the representative), callback and
// case; the report says only the representative's file was viewed; and a
// queue that requires views refuses the report naming the unviewed files.
func TestClusterDecidedTogether(t *testing.T) {
	s := newClusterSetup(t, 1)
	h, ctx := s.h, context.Background()
	root := s.ids["original"]
	for name, id := range s.ids {
		if it, _ := h.db.FindItemByID(ctx, id); it.Cluster.ID != root {
			t.Errorf("%s copy (item %d) is in cluster %+v, want %d", name, id, it.Cluster, root)
		}
	}
	if it, _ := h.db.FindItemByID(ctx, s.unrelated); it.Cluster.ID != 0 {
		t.Errorf("the unrelated picture joined cluster %d", it.Cluster.ID)
	}

	rep, page := s.claim(t, s.rc, s.csrf)
	if got := memberIDs(page); len(got) != 4 || strings.Contains(strings.Join(got, ","), fmt.Sprint(s.unrelated)) {
		t.Fatalf("strip of item %d shows %v, want the 4 other copies", rep, got)
	}
	if !strings.Contains(page.testid("cluster"), "5 copies") || !strings.Contains(page.body, "Submit for all 5 copies") {
		t.Errorf("the page does not say the decision covers 5 copies: %q", page.testid("cluster"))
	}

	// Take the turned copy out (unless it is the representative: then the mirrored one).
	out := s.ids["rotated"]
	if out == rep {
		out = s.ids["mirrored"]
	}
	res := s.rc.post(fmt.Sprintf("/review/%d/split", rep), url.Values{"csrf": {s.csrf}, "member": {fmt.Sprint(out)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("split: %d %s", res.StatusCode, res.testid("error-message"))
	}
	if got := memberIDs(s.rc.get(fmt.Sprintf("/review/%d", rep))); len(got) != 3 {
		t.Errorf("after the split the strip shows %v", got)
	}

	it, _ := h.db.FindItemByID(ctx, rep)
	if r, _ := s.reveal(s.rc, s.csrf, rep, it.Media[0].ID, "grey"); r.StatusCode != http.StatusOK {
		t.Fatalf("reveal: %d", r.StatusCode)
	}
	res = s.rc.post(fmt.Sprintf("/review/%d/decide", rep), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A2"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	h.settle()

	callbacks, _ := h.db.FindOutbox(ctx, review.KindCallback, 100)
	for name, id := range s.ids {
		ds, _ := h.db.FindDecisions(ctx, id)
		c, caseErr := h.db.FindCaseOfItem(ctx, id)
		told := 0
		for _, cb := range callbacks {
			if strings.Contains(cb.Payload, fmt.Sprintf(`"item_id":%d,`, id)) {
				told++
			}
		}
		if id == out {
			if len(ds) != 0 || caseErr == nil || told != 0 {
				t.Errorf("the copy taken out (%s) was decided with the cluster: %+v", name, ds)
			}
			// It waits on its own (the reviewer's next claim took it).
			if it, _ := h.db.FindItemByID(ctx, id); it.Status != review.StatusQueued || it.Cluster.ID != 0 {
				t.Errorf("the copy taken out: %s, cluster %d", it.Status, it.Cluster.ID)
			}
			continue
		}
		if len(ds) != 1 || !ds[0].Final || ds[0].Verdict != review.Violating || ds[0].ClusterItemID != rep {
			t.Errorf("%s copy: decisions %+v, want one final violating decision through %d", name, ds, rep)
		}
		if want := map[bool]string{true: "human", false: "cluster"}[id == rep]; len(ds) == 1 && ds[0].Source() != want {
			t.Errorf("%s copy: source %s, want %s", name, ds[0].Source(), want)
		}
		if told != 1 {
			t.Errorf("%s copy: %d callbacks, want 1", name, told)
		}
		if caseErr != nil {
			t.Fatalf("%s copy is in no case: %v", name, caseErr)
		}
		report, err := h.srv.reporting.Report(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range report.Files {
			if f.ItemID == id && (f.Viewed != (id == rep) || report.Input.Files[i].ViewedByESP != (id == rep)) {
				t.Errorf("%s copy: viewed %v, fileViewedByEsp %v; only the representative was revealed", name, f.Viewed, report.Input.Files[i].ViewedByESP)
			}
		}
	}
	lc, lcsrf := h.signIn(s.lead)
	if got := lc.get(fmt.Sprintf("/queues/%d", s.queue.ID)).testid("without-look"); got != "3" {
		t.Errorf("decided without a look: %q, want 3 (the copies decided through the representative)", got)
	}

	// The acct-1 case holds a copy nobody viewed; once the queue requires
	// views, approval is refused, naming it.
	c, _ := h.db.FindCaseOfItem(ctx, s.ids["mirrored"])
	if p := lc.get(fmt.Sprintf("/reports/%d", c.ID)); !strings.Contains(p.testid("through-cluster"), fmt.Sprintf("through item #%d", rep)) {
		t.Errorf("the case page does not say which copy was decided through the cluster: %q", p.testid("through-cluster"))
	}
	q, _ := h.db.FindQueue(ctx, s.queue.ID)
	q.RequireViewForReport = true
	h.db.UpdateQueue(ctx, q, review.AuditEvent{Action: "test"})
	res = lc.post(fmt.Sprintf("/reports/%d/approve", c.ID), url.Values{"csrf": {lcsrf}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, fmt.Sprintf("item #%d", s.ids["mirrored"])) {
		t.Errorf("approving a report with an unviewed file: %d %s", res.StatusCode, res.testid("error-message"))
	}
}

// TestClusterTwoPersonRule: in a queue that needs two reviews, the whole
// cluster goes to the second review together, and the second reviewer
// gets it whole; a queue that requires views refuses a violating verdict
// until every copy was revealed.
func TestClusterTwoPersonRule(t *testing.T) {
	s := newClusterSetup(t, 2)
	h, ctx := s.h, context.Background()
	q, _ := h.db.FindQueue(ctx, s.queue.ID)
	q.RequireViewForReport = true
	h.db.UpdateQueue(ctx, q, review.AuditEvent{Action: "test"})

	rep, page := s.claim(t, s.rc, s.csrf)
	if len(memberIDs(page)) != 4 {
		t.Fatalf("strip: %v", memberIDs(page))
	}
	it, _ := h.db.FindItemByID(ctx, rep)
	s.reveal(s.rc, s.csrf, rep, it.Media[0].ID, "grey")
	res := s.rc.post(fmt.Sprintf("/review/%d/decide", rep), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A2"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error-verdict"), "reveal") {
		t.Fatalf("violating with unviewed copies in a queue that requires views: %d %q", res.StatusCode, res.testid("error-verdict"))
	}
	for _, id := range s.ids {
		if id != rep {
			m, _ := h.db.FindItemByID(ctx, id)
			if r, _ := s.reveal(s.rc, s.csrf, id, m.Media[0].ID, "grey"); r.StatusCode != http.StatusOK {
				t.Fatalf("reveal of copy %d: %d", id, r.StatusCode)
			}
		}
	}
	if res := s.rc.post(fmt.Sprintf("/review/%d/decide", rep), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first review: %d %s", res.StatusCode, res.testid("error-verdict"))
	}
	for _, id := range s.ids {
		if it, _ := h.db.FindItemByID(ctx, id); it.Status != review.StatusSecondReview {
			t.Errorf("item %d after the first review: %s", id, it.Status)
		}
	}
	c2, csrf2 := h.signIn(s.r2)
	rep2, page2 := s.claim(t, c2, csrf2)
	if len(memberIDs(page2)) != 4 || page2.testid("second-review") == "" {
		t.Fatalf("the second reviewer got item %d with strip %v", rep2, memberIDs(page2))
	}
	// Every copy was viewed (by the first reviewer), so the second
	// reviewer's agreement finalises the cluster.
	if res := c2.post(fmt.Sprintf("/review/%d/decide", rep2), url.Values{"csrf": {csrf2}, "verdict": {"violating"}, "category": {"A2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second review: %d %s", res.StatusCode, res.testid("error-verdict"))
	}
	for _, id := range s.ids {
		ds, _ := h.db.FindDecisions(ctx, id)
		if it, _ := h.db.FindItemByID(ctx, id); it.Status != review.StatusDecided || len(ds) != 2 || ds[1].Kind != review.KindSecond || !ds[1].Final || ds[1].ClusterItemID != rep2 {
			t.Errorf("item %d after the second review: %s, decisions %+v", id, it.Status, ds)
		}
	}
}
