package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// These tests replay the attacks of issue #14 on spotlights, export
// bundles and reports against a real server on the loopback interface.
// Each makes a handful of requests and finishes in about a second.

// spotlight asks for a spotlight reveal of region on one media and
// returns the answer's status, its error message or grant, and the
// fetched crop.
func (s *reportSetup) spotlight(t *testing.T, itemID int64, mediaID, region string) (int, string, []byte) {
	t.Helper()
	form := url.Values{"media": {mediaID}, "step": {review.StepSpotlight}, "region": {region}}
	req, _ := http.NewRequest("POST", s.h.ts.URL+fmt.Sprintf("/review/%d/reveal", itemID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", s.csrf)
	res := s.rc.do(req)
	var answer revealJSON
	json.Unmarshal([]byte(res.body), &answer)
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, res.testid("error-message"), nil
	}
	crop := s.rc.get(answer.URL)
	s.h.clock.Advance(2 * time.Second)
	return res.StatusCode, "", []byte(crop.body)
}

// TestAttackSpotlightAsAFullColourView: in a queue that allows only grey
// and spotlight, a spotlight over the whole image is refused (not clamped
// to it), a spotlight within the cap comes back grey, and spotlights that
// together show most of an image make the report say the file was viewed.
func TestAttackSpotlightAsAFullColourView(t *testing.T) {
	s := newReportSetup(t)
	ctx := context.Background()
	s.queue.Policy.Steps = []string{review.StepGrey, review.StepSpotlight}
	if err := s.h.db.UpdateQueue(ctx, s.queue, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	id, _ := s.claim(t, s.rc, s.csrf)
	it, _ := s.h.db.FindItemByID(ctx, id) // acct-1's first item: two 40x30 images
	m0, m1 := it.Media[0].ID, it.Media[1].ID

	code, msg, _ := s.spotlight(t, id, m0, "0,0,6400,4800")
	if code != http.StatusBadRequest || !strings.Contains(msg, "at most 25%") {
		t.Errorf("a spotlight over the whole image: %d %q, want 400 naming the 25%% cap", code, msg)
	}
	code, msg, crop := s.spotlight(t, id, m0, "0,0,20,15") // a quarter
	if code != http.StatusOK {
		t.Fatalf("a quarter spotlight: %d %q", code, msg)
	}
	if img, err := jpeg.Decode(bytes.NewReader(crop)); err != nil {
		t.Errorf("the crop is not a JPEG: %v", err)
	} else if _, grey := img.(*image.Gray); !grey || img.Bounds().Dx() != 20 {
		t.Errorf("a spotlight where colour is not allowed came back as %T %v, want a greyscale 20x15 crop", img, img.Bounds())
	}
	for _, region := range []string{"20,0,20,15", "0,15,20,15"} { // three quarters of media 0
		if code, msg, _ := s.spotlight(t, id, m0, region); code != http.StatusOK {
			t.Fatalf("spotlight %s: %d %q", region, code, msg)
		}
	}
	for _, region := range []string{"0,0,20,15", "20,15,20,15"} { // half of media 1
		if code, msg, _ := s.spotlight(t, id, m1, region); code != http.StatusOK {
			t.Fatalf("spotlight %s: %d %q", region, code, msg)
		}
	}
	if res := s.rc.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	k := s.caseOf(t, id)
	rep, err := s.h.srv.reporting.Report(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{m0: true, m1: false}
	for _, f := range rep.Files {
		if v, ok := want[f.MediaID]; ok && f.Viewed != v {
			t.Errorf("media %s: fileViewedByEsp %t, want %t (spotlights over three quarters count as a view, over half do not)", f.MediaID, f.Viewed, v)
		}
	}
	lc, _ := s.h.signIn(s.lead)
	page := lc.get(fmt.Sprintf("/reports/%d", k.ID))
	if rows := page.doc.Find(`[data-testid="file-row"]`); !strings.Contains(rows.First().Text(), "75% of the image") {
		t.Errorf("the case page does not show what the spotlights covered: %q", rows.First().Text())
	}
}

// finishedBundle decides acct-1's first item (two files, the first
// revealed in colour) into an export bundle case and finishes it.
func (s *reportSetup) finishedBundle(t *testing.T) (review.Case, review.Item) {
	t.Helper()
	ctx := context.Background()
	s.h.db.SaveSettings(ctx, map[string]string{review.SettingDestination: review.DestinationBundle}, review.AuditEvent{Action: "test"})
	a := s.decideNext(t, "colour")
	k := s.caseOf(t, a.ID)
	lc, lcsrf := s.h.signIn(s.lead2)
	if res := lc.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {lcsrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, res.testid("error"))
	}
	if n, err := s.sender(nil).RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("outbox: %d finished, %v", n, err)
	}
	return k, a
}

// TestAttackCrossSiteBundleDownload: a page elsewhere sends a lead's
// browser to the bundle. The download is a POST with the CSRF token, the
// session cookie is SameSite=Strict, admins get neither the case pages nor
// the bundle, and a download lands in the downloader's exposure ledger
// without making any file "viewed".
func TestAttackCrossSiteBundleDownload(t *testing.T) {
	s := newReportSetup(t)
	ctx := context.Background()
	k, a := s.finishedBundle(t)
	bundle := fmt.Sprintf("%s/reports/%d/bundle", s.h.ts.URL, k.ID)
	lc, lcsrf := s.h.signIn(s.lead)

	// The top-level navigation a redirect elsewhere causes.
	req, _ := http.NewRequest("GET", bundle, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	if res := lc.do(req); res.StatusCode == http.StatusOK || strings.HasPrefix(res.body, "PK") {
		t.Errorf("a cross-site navigation downloaded the bundle: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for name, header := range map[string]map[string]string{
		"cross-site form with the token": {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		"no token":                       nil,
	} {
		form := url.Values{}
		if header != nil {
			form.Set("csrf", lcsrf)
		}
		req, _ := http.NewRequest("POST", bundle, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		if res := lc.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, res.StatusCode)
		}
	}
	res := s.h.client().post("/signin", url.Values{"email": {s.lead.Email}, "password": {testPassword}})
	for _, c := range res.Cookies() {
		if c.Name == cookieName && c.SameSite != http.SameSiteStrictMode {
			t.Errorf("session cookie SameSite=%v, want Strict so no cross-site navigation carries it", c.SameSite)
		}
	}

	// Admins manage people, not content.
	admin := s.h.addPerson("admin@example.org", true, review.RoleAdmin)
	ac, acsrf := s.h.signIn(admin)
	for _, path := range []string{"/reports", fmt.Sprintf("/reports/%d", k.ID)} {
		if res := ac.get(path); res.StatusCode != http.StatusForbidden || strings.Contains(res.body, "user_acct-1") {
			t.Errorf("admin GET %s: %d", path, res.StatusCode)
		}
	}
	if res := ac.post(fmt.Sprintf("/reports/%d/bundle", k.ID), url.Values{"csrf": {acsrf}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("admin POST bundle: %d, want 403", res.StatusCode)
	}

	// The lead downloads through the case page's form.
	page := lc.get(fmt.Sprintf("/reports/%d", k.ID))
	form := page.doc.Find(`form[data-testid="bundle"]`)
	if method, _ := form.Attr("method"); method != "post" || form.Find(`input[name="csrf"]`).Length() != 1 {
		t.Fatalf("the case page's download is not a POST form with the token: %q", page.testid("bundle"))
	}
	action, _ := form.Attr("action")
	res = lc.post(action, url.Values{"csrf": {lcsrf}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("the lead's download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	exposures, _ := s.h.db.FindExposures(ctx, a.ID)
	downloaded := map[string]bool{}
	for _, e := range exposures {
		if e.Rendition == review.RenditionDownload && e.ReviewerID == s.lead.ID {
			downloaded[e.MediaID] = true
		}
	}
	if len(downloaded) != 2 || !downloaded[a.Media[0].ID] || !downloaded[a.Media[1].ID] {
		t.Errorf("the download is not in the lead's ledger, one row per original: %+v", exposures)
	}
	rep, _ := s.h.srv.reporting.Report(ctx, k)
	for _, f := range rep.Files {
		if f.Viewed != (f.MediaID == a.Media[0].ID) {
			t.Errorf("media %s: viewed %t after a download; a download is not a view", f.MediaID, f.Viewed)
		}
	}
	// Wellbeing staff see the originals the lead took away, counted.
	care := s.h.addPerson("care@example.org", true, review.RoleWellbeing)
	cw, _ := s.h.signIn(care)
	rows, err := csv.NewReader(strings.NewReader(cw.get("/wellbeing/export.csv?days=1").body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("wellbeing CSV: %v", err)
	}
	col := slices.Index(rows[0], "downloads")
	for _, r := range rows[1:] {
		if r[1] == s.lead.Email && (col < 0 || r[col] != "2") {
			t.Errorf("the lead's wellbeing row %v (columns %v): want 2 downloads", r, rows[0])
		}
	}
}

// craftedMedia is a media part whose file name (RFC 2231 encoded, as a
// platform's user could choose it) carries a newline and a forged
// manifest line.
func craftedMedia(t *testing.T, b []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormField("metadata")
	w.Write([]byte(`{"external_id":"crafted","priority":100,"content_url":"https://platform.example/p/9","uploader":{"account_id":"acct-9"}}`))
	forged := url.PathEscape(".jpg\n" + strings.Repeat("0", 64) + "  forged")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="media"; filename*=UTF-8''photo`+forged)
	h.Set("Content-Type", "application/octet-stream")
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// TestAttackBundleNameInjectsAManifestLine: the platform's file name
// never reaches a zip entry name or MANIFEST.sha256; the extension comes
// from the content type.
func TestAttackBundleNameInjectsAManifestLine(t *testing.T) {
	s := newReportSetup(t)
	ct, body := craftedMedia(t, testImage(40, 30, 9))
	if res := s.h.api("POST", "/api/v1/items", s.token, ct, body); res.status != http.StatusCreated {
		t.Fatalf("ingest: %d %+v", res.status, res.err)
	}
	k, _ := s.finishedBundle(t) // the crafted item comes first (priority 100)
	if k.AccountID != "acct-9" {
		t.Fatalf("the bundle is of %q, want the crafted item's account", k.AccountID)
	}
	lc, lcsrf := s.h.signIn(s.lead)
	res := lc.post(fmt.Sprintf("/reports/%d/bundle", k.ID), url.Values{"csrf": {lcsrf}})
	z, err := zip.NewReader(strings.NewReader(res.body), int64(len(res.body)))
	if err != nil {
		t.Fatalf("bundle: %d %v", res.StatusCode, err)
	}
	entry := regexp.MustCompile(`^(report\.xml|manifest\.json|files/\d\d-[0-9a-f]{16}\.png)$`)
	var sums string
	for _, f := range z.File {
		if f.Name != "MANIFEST.sha256" && !entry.MatchString(f.Name) {
			t.Errorf("zip entry %q", f.Name)
		}
		if f.Name == "MANIFEST.sha256" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			sums = string(b)
		}
	}
	lines := strings.Split(strings.TrimSuffix(sums, "\n"), "\n")
	if len(lines) != len(z.File)-1 {
		t.Errorf("MANIFEST.sha256 has %d lines for %d files:\n%s", len(lines), len(z.File)-1, sums)
	}
	for _, l := range lines {
		hash, name, _ := strings.Cut(l, "  ")
		if len(hash) != 64 || !entry.MatchString(name) {
			t.Errorf("manifest line %q", l)
		}
	}
}
