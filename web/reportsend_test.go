package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
	"github.com/loupe-review/loupe/review/ncmec"
)

// sender is the report outbox as serve builds it, against fake (nil: no
// CyberTipline endpoint), on the harness's clock. Each call is a fresh
// sender: a restart keeps only what the database holds.
func (s *reportSetup) sender(fake *ncmec.Fake) *review.ReportSender {
	h := s.h
	rs := &review.ReportSender{
		Store: h.db, Reporting: h.srv.reporting, Now: h.clock.Now,
		Original: func(ctx context.Context, mediaID string) ([]byte, error) {
			return h.object(mediaID, review.KindOriginal), nil
		},
		HoldFor: func(context.Context) time.Duration { return 365 * 24 * time.Hour },
	}
	if fake != nil {
		ts := httptest.NewServer(fake)
		h.t.Cleanup(ts.Close)
		// The fake listens on loopback: --allow-insecure-outbound.
		rs.NCMEC = ncmec.New(ncmec.Config{BaseURL: ts.URL, Username: "esp", Password: "secret"}, egress.Policy{AllowInsecure: true}.Client(2*time.Second)) // short, for the injected timeout; loose enough for a busy machine
	}
	return rs
}

// approvedCase decides acct-1's two items (three files, one revealed) and
// has the second lead approve their case.
func (s *reportSetup) approvedCase(t *testing.T) review.Case {
	t.Helper()
	a := s.decideNext(t, "colour")
	s.decideNext(t)
	k := s.caseOf(t, a.ID)
	lc, lcsrf := s.h.signIn(s.lead2)
	if res := lc.post(fmt.Sprintf("/reports/%d/approve", k.ID), url.Values{"csrf": {lcsrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, res.testid("error"))
	}
	return k
}

// run runs the outbox once, then returns the case as stored.
func (s *reportSetup) run(t *testing.T, rs *review.ReportSender, id int64) review.Case {
	t.Helper()
	if _, err := rs.RunOnce(context.Background()); err != nil {
		t.Fatalf("outbox: %v", err)
	}
	k, _ := s.h.db.FindCase(context.Background(), id)
	return k
}

func finishedReports(fake *ncmec.Fake) (finished, all int) {
	for _, r := range fake.Reports() {
		all++
		if r.Finished {
			finished++
		}
	}
	return finished, all
}

func TestReportFlowAgainstTheFakeCyberTipline(t *testing.T) {
	s := newReportSetup(t)
	fake := ncmec.NewFake("esp", "secret")
	k := s.approvedCase(t)
	k = s.run(t, s.sender(fake), k.ID)
	if k.Status != review.CaseFinished || k.ReportID == 0 {
		t.Fatalf("case after sending: %s, report id %d, problem %q", k.Status, k.ReportID, k.Problem)
	}
	reports := fake.Reports()
	if len(reports) != 1 || !reports[0].Finished || len(reports[0].Files) != 3 || reports[0].ID != k.ReportID {
		t.Fatalf("the fake holds %+v", reports)
	}
	viewed := 0
	for _, f := range reports[0].Files {
		if strings.Contains(f.Details, "<fileViewedByEsp>true</fileViewedByEsp>") {
			viewed++
		}
	}
	if viewed != 1 {
		t.Errorf("%d files reported as viewed, want the 1 the ledger shows", viewed)
	}
	// Every request and answer is on the case, and its items are held.
	ts, _ := s.h.db.FindTransmissions(context.Background(), k.ID)
	var steps []string
	for _, x := range ts {
		steps = append(steps, x.Step)
	}
	if got := strings.Join(steps, " "); got != "submit upload fileinfo upload fileinfo upload fileinfo finish" {
		t.Errorf("transmissions: %s", got)
	}
	if holds, _ := s.h.db.FindHolds(context.Background(), s.h.clock.Now()); len(holds) != 2 {
		t.Errorf("%d holds, want the case's 2 items", len(holds))
	}
	lc, _ := s.h.signIn(s.lead)
	page := lc.get(fmt.Sprintf("/reports/%d", k.ID))
	if page.testid("case-status") != "finished" || page.testid("report-id") != fmt.Sprint(k.ReportID) || page.doc.Find(`[data-testid="transmissions"] tbody tr`).Length() != 8 {
		t.Errorf("case page: %q %q", page.testid("case-status"), page.testid("report-id"))
	}
	// The platform sees the decision and the report on its item.
	got := s.h.api("GET", fmt.Sprintf("/api/v1/items/%d", k.Items[0]), s.token, "", nil)
	if d, r := got.item.Decision, got.item.Report; d == nil || d.Verdict != review.Violating || d.Category != "A2" || r == nil || r.Status != review.CaseFinished || r.ReportID != k.ReportID || got.item.Status != "reported" {
		t.Errorf("API item: status %s, decision %+v, report %+v", got.item.Status, got.item.Decision, got.item.Report)
	}
	// Monitoring sees the report outbox deliver.
	if m := s.h.scrape(s.h.client(), s.h.metricsToken("prom")); !strings.Contains(m.body, `loupe_outbox_delivered_total{kind="report"} 1`) {
		t.Error("metrics do not show the delivered report")
	}
	if c := s.run(t, s.sender(fake), k.ID); c.Status != review.CaseFinished || len(fake.Reports()) != 1 {
		t.Error("a finished case was sent again")
	}
}

// TestReportFailuresAndRestarts: failures that may pass are retried with
// backoff and resumed by a restarted outbox without a second report;
// validation failures fail the case (retracting a half-sent report).
func TestReportFailuresAndRestarts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		step   string
		kind   ncmec.FailKind
		times  int
		failed bool // the case fails for good
		// reports is how many reports the fake holds at the end (a lost
		// submit answer leaves one unfinished behind).
		reports int
	}{
		{"5xx on upload", "upload", ncmec.Fail5xx, 2, false, 1},
		{"timeout on fileinfo", "fileinfo", ncmec.FailTimeout, 1, false, 1},
		{"5xx on finish", "finish", ncmec.Fail5xx, 1, false, 1},
		{"submit answer lost", "submit", ncmec.FailLoseResponse, 1, false, 2},
		{"finish answer lost", "finish", ncmec.FailLoseResponse, 1, false, 1},
		{"4100 on submit", "submit", ncmec.Fail4100, 1, true, 0},
		{"4100 on fileinfo", "fileinfo", ncmec.Fail4100, 1, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newReportSetup(t)
			fake := ncmec.NewFake("esp", "secret")
			fake.Hang = 5 * time.Second // past the client's timeout: it gives up first
			k := s.approvedCase(t)
			fake.Fail(tc.step, tc.kind, tc.times)
			k = s.run(t, s.sender(fake), k.ID)
			if tc.failed {
				if k.Status != review.CaseFailed || !strings.Contains(k.Problem, tc.step) {
					t.Fatalf("case: %s, problem %q", k.Status, k.Problem)
				}
				for _, r := range fake.Reports() {
					if r.Finished || (r.ID == k.ReportID && !r.Retracted) {
						t.Errorf("a failed case left report %d finished %t retracted %t", r.ID, r.Finished, r.Retracted)
					}
				}
				return
			}
			if k.Status != review.CaseApproved || k.Attempts != 1 || !k.NextAttemptAt.After(s.h.clock.Now()) || k.Problem == "" {
				t.Fatalf("after a failure that may pass: %s, attempts %d, next %v, problem %q", k.Status, k.Attempts, k.NextAttemptAt, k.Problem)
			}
			// Not yet due: nothing is sent.
			before := len(fake.Reports())
			s.run(t, s.sender(fake), k.ID)
			if len(fake.Reports()) != before {
				t.Error("the outbox retried before the backoff ran out")
			}
			// A restarted outbox (a fresh sender) resumes after the backoff.
			for range 5 {
				s.h.clock.Advance(time.Hour)
				if k = s.run(t, s.sender(fake), k.ID); k.Status == review.CaseFinished {
					break
				}
			}
			finished, all := finishedReports(fake)
			if k.Status != review.CaseFinished || finished != 1 || all != tc.reports {
				t.Errorf("end: case %s, %d finished of %d reports at the fake, want 1 of %d", k.Status, finished, all, tc.reports)
			}
		})
	}
}

func TestReportWaitsWithoutAnEndpoint(t *testing.T) {
	s := newReportSetup(t)
	k := s.approvedCase(t)
	k = s.run(t, s.sender(nil), k.ID)
	if k.Status != review.CaseApproved || !strings.Contains(k.Problem, "no CyberTipline endpoint") {
		t.Errorf("without an endpoint: %s %q", k.Status, k.Problem)
	}
}
