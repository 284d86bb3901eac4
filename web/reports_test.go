package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/cybertip"
)

// reportSetup is a reportable queue, a reviewer, two leads, the report
// settings filled in, and items from accounts acct-1 (two items, one with
// two images), acct-2 (no IP data) and one of an unknown account.
type reportSetup struct {
	*reviewSetup
	lead2 person
	rc    *client
	csrf  string
}

func newReportSetup(t *testing.T) *reportSetup {
	h := newHarness(t)
	ctx := context.Background()
	q := review.NewQueue("reportable")
	q.Reportable = true
	q, err := h.db.CreateQueue(ctx, q, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s := &reportSetup{reviewSetup: &reviewSetup{h: h, queue: q,
		lead: h.addPerson("lead@example.org", true, review.RoleLead),
		rev1: h.addPerson("ana@example.org", true, review.RoleReviewer),
	}, lead2: h.addPerson("lead2@example.org", true, review.RoleLead)}
	h.db.SetMember(ctx, q.ID, s.rev1.ID, true, review.AuditEvent{Action: "test"})
	h.db.CreateRule(ctx, review.Rule{Name: "all", QueueID: q.ID, Enabled: true}, review.AuditEvent{Action: "test"})
	h.db.SaveSettings(ctx, map[string]string{
		review.SettingReporterFirst: "Rita", review.SettingReporterLast: "Reporter", review.SettingReporterEmail: "reports@platform.example",
		review.SettingCompany: "Platform Ltd", review.SettingService: "Platform",
	}, review.AuditEvent{Action: "test"})
	s.token = h.apiToken("scanner", "photos")
	uploader := func(acct, ip string) string {
		u := fmt.Sprintf(`"account_id":%q,"screen_name":"user_%s","display_name":"Demo %s"`, acct, acct, acct)
		if ip != "" {
			u += fmt.Sprintf(`,"ip":%q,"ip_event_time":"2026-11-20T10:00:00Z"`, ip)
		}
		return `,"uploaded_at":"2026-11-20T10:00:00Z","content_url":"https://platform.example/p/` + acct + `","context":{"public":true},"uploader":{` + u + `}`
	}
	items := []struct {
		id, extra string
		media     []part
	}{
		{"r-1", uploader("acct-1", "198.51.100.7"), []part{media(testImage(40, 30, 1)), media(testImage(40, 30, 2))}},
		{"r-2", uploader("acct-1", "198.51.100.8"), []part{media(testImage(40, 30, 3))}},
		{"r-3", uploader("acct-2", ""), []part{media(testImage(40, 30, 4))}},
		{"r-4", `,"content_url":"https://platform.example/p/anon","uploaded_at":"2026-11-21T10:00:00Z"`, []part{media(testImage(40, 30, 5))}},
	}
	for _, it := range items {
		if res := h.ingest(s.token, append([]part{meta(it.id, it.extra)}, it.media...)...); res.status != http.StatusCreated {
			t.Fatalf("ingest %s: %d %+v", it.id, res.status, res.err)
		}
	}
	s.rc, s.csrf = h.signIn(s.rev1)
	return s
}

// decideNext claims the next item, reveals its media as asked, and
// decides it violating with a category; it returns the item.
func (s *reportSetup) decideNext(t *testing.T, reveals ...string) review.Item {
	t.Helper()
	id, _ := s.claim(t, s.rc, s.csrf)
	it, _ := s.h.db.FindItemByID(context.Background(), id)
	for _, step := range reveals {
		res, grant := s.reveal(s.rc, s.csrf, id, it.Media[0].ID, step)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reveal %s: %d", step, res.StatusCode)
		}
		s.h.clock.Advance(2 * time.Second)
		s.rc.post(fmt.Sprintf("/review/%d/reblur", id), url.Values{"csrf": {s.csrf}, "exposure": {fmt.Sprint(grant.Exposure)}})
	}
	res := s.rc.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A2"}, "annotations": {"viral"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	return it
}

func (s *reportSetup) caseOf(t *testing.T, itemID int64) review.Case {
	t.Helper()
	s.h.settle()
	c, err := s.h.db.FindCaseOfItem(context.Background(), itemID)
	if err != nil {
		t.Fatalf("item %d has no case: %v", itemID, err)
	}
	return c
}

func TestViolatingDecisionsOpenOneCasePerAccount(t *testing.T) {
	s := newReportSetup(t)
	a := s.decideNext(t, "grey")
	b := s.decideNext(t)
	c := s.decideNext(t)
	d := s.decideNext(t)
	ca, cb, cc, cd := s.caseOf(t, a.ID), s.caseOf(t, b.ID), s.caseOf(t, c.ID), s.caseOf(t, d.ID)
	if ca.ID != cb.ID || len(ca.Items) != 2 || ca.AccountID != "acct-1" || ca.Destination != review.DestinationCyberTipline {
		t.Errorf("acct-1's items: cases %d and %d (%+v)", ca.ID, cb.ID, ca)
	}
	if cc.ID == ca.ID || cd.ID == ca.ID || cd.ID == cc.ID || cd.AccountID != "" {
		t.Errorf("other accounts share a case: %d %d %d", ca.ID, cc.ID, cd.ID)
	}
	// A lead overturns one of acct-1's items: it leaves the open case.
	lc, lcsrf := s.h.signIn(s.lead)
	res := lc.post(fmt.Sprintf("/items/%d/override", b.ID), url.Values{"csrf": {lcsrf}, "verdict": {"not_violating"}, "note": {"a drawing of a cat"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %s", res.StatusCode, res.testid("error"))
	}
	if _, err := s.h.db.FindCaseOfItem(context.Background(), b.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("the overturned item is still in a case: %v", err)
	}
	// Merge acct-2's case into acct-1's, then split an item back out.
	res = lc.post(fmt.Sprintf("/reports/%d/merge", cc.ID), url.Values{"csrf": {lcsrf}, "into": {fmt.Sprint(ca.ID)}})
	if res.StatusCode != http.StatusSeeOther || len(s.caseOf(t, c.ID).Items) != 2 || s.caseOf(t, c.ID).ID != ca.ID {
		t.Fatalf("merge: %d %s", res.StatusCode, res.testid("error"))
	}
	res = lc.post(fmt.Sprintf("/reports/%d/split", ca.ID), url.Values{"csrf": {lcsrf}, "item": {fmt.Sprint(c.ID)}})
	if res.StatusCode != http.StatusSeeOther || s.caseOf(t, c.ID).ID == ca.ID {
		t.Errorf("split: %d %s", res.StatusCode, res.testid("error"))
	}
	if res := lc.post(fmt.Sprintf("/reports/%d/split", ca.ID), url.Values{"csrf": {lcsrf}, "item": {fmt.Sprint(a.ID)}}); res.StatusCode != http.StatusConflict {
		t.Errorf("splitting a case's only item: %d", res.StatusCode)
	}
}

// TestReportsValidateAgainstTheSchema builds reports from real cases (one
// file, many files, no IP data, escalated) and validates them with xmllint.
func TestReportsValidateAgainstTheSchema(t *testing.T) {
	s := newReportSetup(t)
	a := s.decideNext(t, "colour")
	s.decideNext(t)
	c := s.decideNext(t)
	lc, lcsrf := s.h.signIn(s.lead)
	escalate := s.caseOf(t, c.ID)
	res := lc.post(fmt.Sprintf("/reports/%d", escalate.ID), url.Values{"csrf": {lcsrf}, "incident_type": {string(cybertip.OnlineEnticement)},
		"escalation": {"The account arranged a meeting for tonight."}, "additional_info": {"Synthetic test case."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit case: %d %s", res.StatusCode, res.testid("error"))
	}
	one := s.caseOf(t, a.ID)
	s.h.db.SplitItem(context.Background(), one.ID, one.Items[1], s.h.clock.Now(), review.AuditEvent{Action: "test"})
	for name, id := range map[string]int64{"many files": s.caseOf(t, a.ID).ID, "one file, no IP data, escalated": escalate.ID} {
		k, _ := s.h.db.FindCase(context.Background(), id)
		rep, err := s.h.srv.reporting.Report(context.Background(), k)
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("%s: %v %v", name, err, rep.Problems)
		}
		if err := cybertip.Validate(context.Background(), rep.XML); errors.Is(err, cybertip.ErrNoValidator) {
			t.Skip("xmllint not installed (CI installs libxml2-utils and fails on skips)")
		} else if err != nil {
			t.Errorf("%s: %v\n%s", name, err, rep.XML)
		}
		page := lc.get(fmt.Sprintf("/reports/%d", id))
		if !strings.Contains(page.testid("xml"), "<report>") || page.doc.Find(`[data-testid="approve"]`).Length() != 1 {
			t.Errorf("%s: the case page shows no XML or no approve button", name)
		}
	}
	k := s.caseOf(t, c.ID)
	rep, _ := s.h.srv.reporting.Report(context.Background(), k)
	if !strings.Contains(string(rep.XML), "<escalateToHighPriority>The account arranged") || strings.Contains(string(rep.XML), "ipCaptureEvent") {
		t.Errorf("escalated report without IP data:\n%s", rep.XML)
	}
}

// TestFileViewedComesFromTheLedger: a file is "viewed" only when the
// ledger shows a reviewer revealed all of it (grey or colour); an EXIF
// reveal sets exifViewedByEsp; a spotlight or the blurred preview is not a
// view.
func TestFileViewedComesFromTheLedger(t *testing.T) {
	s := newReportSetup(t)
	ctx := context.Background()
	id, _ := s.claim(t, s.rc, s.csrf)
	it, _ := s.h.db.FindItemByID(ctx, id)
	reveal := func(m review.Media, fields url.Values) {
		t.Helper()
		fields.Set("media", m.ID)
		req, _ := http.NewRequest("POST", s.h.ts.URL+fmt.Sprintf("/review/%d/reveal", id), strings.NewReader(fields.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", s.csrf)
		if res := s.rc.do(req); res.StatusCode != http.StatusOK {
			t.Fatalf("reveal %v: %d %s", fields, res.StatusCode, res.body)
		}
		s.h.clock.Advance(3 * time.Second)
	}
	reveal(it.Media[0], url.Values{"step": {"grey"}})
	reveal(it.Media[1], url.Values{"step": {"spotlight"}, "region": {"0,0,10,10"}})
	reveal(it.Media[1], url.Values{"step": {"exif"}})
	s.rc.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {s.csrf}, "verdict": {"violating"}, "category": {"A1"}})
	other := s.decideNext(t) // acct-1's second item: never revealed
	k := s.caseOf(t, other.ID)
	rep, err := s.h.srv.reporting.Report(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]bool{it.Media[0].ID: {true, false}, it.Media[1].ID: {false, true}, other.Media[0].ID: {false, false}}
	for _, f := range rep.Files {
		if w := want[f.MediaID]; f.Viewed != w[0] || f.EXIF != w[1] {
			t.Errorf("media %s: viewed %t, exif %t; want %v (reveals %+v)", f.MediaID, f.Viewed, f.EXIF, w, f.Reveals)
		}
	}
	doc := string(rep.XML)
	if strings.Count(doc, "fileViewedByEsp") != 0 {
		t.Log("the report document holds no file details; they go per file to /fileinfo")
	}
	for i, f := range rep.Input.Files {
		d, _ := cybertip.BuildFileDetails(1, "f1", f, nil, s.h.clock.Now())
		x, _ := d.XML()
		wantViewed := fmt.Sprintf("<fileViewedByEsp>%t</fileViewedByEsp>", rep.Files[i].Viewed)
		if !strings.Contains(string(x), wantViewed) {
			t.Errorf("file details of %s lack %s:\n%s", rep.Files[i].MediaID, wantViewed, x)
		}
	}
	// The lead sees the flags read-only with the reveal records behind them.
	lc, _ := s.h.signIn(s.lead)
	page := lc.get(fmt.Sprintf("/reports/%d", k.ID))
	if rows := page.doc.Find(`[data-testid="file-row"]`); rows.Length() != 3 || !strings.Contains(rows.First().Text(), "grey by ana@example.org") {
		t.Errorf("files on the case page: %q", rows.Text())
	}
}

func TestApprovalNeedsAnotherLeadAndACompleteReport(t *testing.T) {
	s := newReportSetup(t)
	ctx := context.Background()
	// The lead who decided an item may not approve its case.
	s.h.db.SetMember(ctx, s.queue.ID, s.lead.ID, true, review.AuditEvent{Action: "test"})
	lc, lcsrf := s.h.signIn(s.lead)
	id, _ := s.claim(t, lc, lcsrf)
	lc.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {lcsrf}, "verdict": {"violating"}, "category": {"B1"}})
	k := s.caseOf(t, id)
	res := lc.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {lcsrf}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.testid("error"), "another lead") {
		t.Errorf("the deciding lead approving: %d %q", res.StatusCode, res.testid("error"))
	}
	// Missing settings are listed and block approval.
	s.h.db.SaveSettings(ctx, map[string]string{review.SettingReporterEmail: ""}, review.AuditEvent{Action: "test"})
	l2, l2csrf := s.h.signIn(s.lead2)
	page := l2.get(fmt.Sprintf("/reports/%d", k.ID))
	if !strings.Contains(page.testid("missing"), "Reporter.Email") || !strings.Contains(page.testid("cannot-approve"), "missing or invalid") {
		t.Errorf("missing fields: %q / %q", page.testid("missing"), page.testid("cannot-approve"))
	}
	if res := l2.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {l2csrf}}); res.StatusCode != http.StatusConflict {
		t.Errorf("approving an incomplete report: %d", res.StatusCode)
	}
	s.h.db.SaveSettings(ctx, map[string]string{review.SettingReporterEmail: "reports@platform.example"}, review.AuditEvent{Action: "test"})
	if res := l2.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {l2csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, res.testid("error"))
	}
	k, _ = s.h.db.FindCase(ctx, k.ID)
	if k.Status != review.CaseApproved || k.Approver != s.lead2.Email {
		t.Errorf("after approval: %s by %q", k.Status, k.Approver)
	}
	entries, _ := s.h.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionCaseApproved})
	if len(entries) != 1 || entries[0].Actor != s.lead2.Email {
		t.Errorf("approval audit: %+v", entries)
	}
	if res := l2.post(fmt.Sprintf("/reports/%d", k.ID), url.Values{"csrf": {l2csrf}, "incident_type": {string(cybertip.ChildPornography)}}); res.StatusCode != http.StatusConflict {
		t.Errorf("editing an approved case: %d", res.StatusCode)
	}
}

func TestExportBundle(t *testing.T) {
	s := newReportSetup(t)
	ctx := context.Background()
	s.h.db.SaveSettings(ctx, map[string]string{review.SettingDestination: review.DestinationBundle}, review.AuditEvent{Action: "test"})
	a := s.decideNext(t, "colour")
	k := s.caseOf(t, a.ID)
	if k.Destination != review.DestinationBundle {
		t.Fatalf("destination %s", k.Destination)
	}
	lc, lcsrf := s.h.signIn(s.lead)
	if res := lc.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {lcsrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, res.testid("error"))
	}
	if res := lc.post(fmt.Sprintf("/reports/%d/bundle", k.ID), url.Values{"csrf": {lcsrf}}); res.StatusCode != http.StatusConflict {
		t.Errorf("bundle before the outbox made it: %d", res.StatusCode)
	}
	if n, err := s.sender(nil).RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("outbox: %d finished, %v", n, err)
	}
	res := lc.post(fmt.Sprintf("/reports/%d/bundle", k.ID), url.Values{"csrf": {lcsrf}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("bundle: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(res.body)), int64(len(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, _ := f.Open()
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	if !strings.Contains(string(files["report.xml"]), "<report>") || !strings.Contains(string(files["manifest.json"]), `"file_viewed_by_esp": true`) {
		t.Errorf("bundle files: %v", keys(files))
	}
	originals := 0
	for name, b := range files {
		if strings.HasPrefix(name, "files/") {
			originals++
			sum := sha256.Sum256(b)
			if !strings.Contains(string(files["MANIFEST.sha256"]), hex.EncodeToString(sum[:])+"  "+name) || !bytes.Equal(b, s.h.object(a.Media[0].ID, review.KindOriginal)) && !bytes.Equal(b, s.h.object(a.Media[1].ID, review.KindOriginal)) {
				t.Errorf("%s is not an original listed in the manifest", name)
			}
		}
	}
	if originals != 2 {
		t.Errorf("%d originals in the bundle, want 2", originals)
	}
	entries, _ := s.h.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionBundle})
	if len(entries) != 1 {
		t.Errorf("%d bundle downloads audited", len(entries))
	}
	holds, _ := s.h.db.FindHolds(ctx, s.h.clock.Now())
	if len(holds) != 1 || holds[0].ItemID != a.ID {
		t.Errorf("holds after the bundle: %+v", holds)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReportSettingsPage(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	res := c.post("/admin/reporting", url.Values{"csrf": {csrf}, review.SettingReporterEmail: {"not an email"}, review.SettingRetentionHold: {"0"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), "email") || !strings.Contains(res.testid("error"), "at least 1") {
		t.Errorf("bad settings: %d %q", res.StatusCode, res.testid("error"))
	}
	res = c.post("/admin/reporting", url.Values{"csrf": {csrf}, review.SettingReporterEmail: {"r@platform.example"}, review.SettingRetentionHold: {"730"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %q", res.StatusCode, res.testid("error"))
	}
	r, err := review.LoadRetention(context.Background(), h.db)
	if err != nil || r.Hold != 730*24*time.Hour {
		t.Errorf("hold after saving: %v, %v", r.Hold, err)
	}
	if v, _ := c.get("/admin/reporting").doc.Find(`input[name="` + review.SettingReporterEmail + `"]`).Attr("value"); v != "r@platform.example" {
		t.Errorf("the form shows %q", v)
	}
}
