package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// metricsToken makes a token with the metrics scope.
func (h *harness) metricsToken(name string) string {
	h.t.Helper()
	_, raw, err := review.NewToken(context.Background(), h.db, h.srv.random, "test", name, "monitoring", review.ScopeMetrics)
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

// scrape fetches /metrics from the main address with token (none when "").
func (h *harness) scrape(c *client, token string) response {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.ts.URL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.do(req)
}

func TestMetricsRefusesWithoutAMetricsToken(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	signedIn, _ := h.session(admin, review.StageFull)
	revoked := h.metricsToken("old")
	if err := h.db.RevokeToken(t.Context(), "old", review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		c     *client
		token string
		want  int
	}{
		{"no token", h.client(), "", http.StatusUnauthorized},
		{"a signed-in admin's session", signedIn, "", http.StatusUnauthorized},
		{"an unknown token", h.client(), "loupe_nonsense", http.StatusUnauthorized},
		{"a revoked metrics token", h.client(), revoked, http.StatusUnauthorized},
		{"an ingest token", h.client(), h.apiToken("scanner", "photos"), http.StatusForbidden},
	}
	for _, tc := range cases {
		res := h.scrape(tc.c, tc.token)
		if res.StatusCode != tc.want || strings.Contains(res.body, "loupe_queue_depth") {
			t.Errorf("%s: %d, want %d and no metrics", tc.name, res.StatusCode, tc.want)
		}
	}
	if res := h.scrape(h.client(), ""); res.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without a WWW-Authenticate header")
	}
}

func TestMetricsExposition(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	token := h.metricsToken("prometheus")
	res := h.scrape(h.client(), token)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("scrape: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	wantLines(t, res.body,
		`loupe_store_up 1`,
		`loupe_queue_depth{queue="main"} 2`,
		`loupe_queue_depth{queue="default"} 0`,
		`loupe_items_ingested_total 2`,
		`loupe_outbox_backlog{kind="callback"} 0`,
	)

	c, csrf := h.signIn(s.rev1)
	id, _ := s.claim(t, c, csrf)
	h.clock.Advance(5 * time.Minute)
	if res := c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	res = h.scrape(h.client(), token)
	wantLines(t, res.body,
		`loupe_decisions_total{kind="first",verdict="not_violating"} 1`,
		`loupe_queue_depth{queue="main"} 1`,
		`loupe_queue_in_review{queue="main"} 1`, // decide and next holds the other item
		`loupe_queue_oldest_item_age_seconds{queue="main"} 330`,
		`loupe_http_request_duration_seconds_count{code="3xx",route="POST /review/{id}/decide"} 1`,
		`loupe_http_request_duration_seconds_count{code="2xx",route="GET /review/{id}"} 1`,
		`loupe_http_request_duration_seconds_count{code="2xx",route="GET /metrics"} 1`,
	)
	if strings.Contains(res.body, fmt.Sprintf("/review/%d", id)) {
		t.Error("a raw path, not its route pattern, labels a metric")
	}
}

// TestMetricsExposeNoPerson: after two reviewers reveal, exposure shows
// only as team totals, and no label anywhere names or numbers a person.
func TestMetricsExposeNoPerson(t *testing.T) {
	s := newReviewSetup(t, 1, 3) // decide and next leases the first reviewer a second item
	h := s.h
	people := []person{s.rev1, s.r2}
	for _, p := range people {
		c, csrf := h.signIn(p)
		id, _ := s.claim(t, c, csrf)
		it, _ := h.db.FindItemByID(t.Context(), id)
		_, g := s.reveal(c, csrf, id, it.Media[0].ID, "grey")
		if got := c.get(g.URL); got.StatusCode != http.StatusOK {
			t.Fatalf("reveal: %d", got.StatusCode)
		}
		h.clock.Advance(3 * time.Second)
		c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
	}
	res := h.scrape(h.client(), h.metricsToken("prometheus"))
	wantLines(t, res.body,
		`loupe_reveals_total{rendition="grey"} 2`,
		`loupe_exposure_seconds_total{rendition="grey"} 6`,
	)
	allowed := map[string]bool{"queue": true, "kind": true, "verdict": true, "rendition": true, "route": true, "code": true,
		"le": true, "quantile": true, "version": true}
	for _, l := range labels(t, res.body) {
		if !allowed[l.name] {
			t.Errorf("unexpected label %s=%q: labels may name queues, kinds, verdicts, renditions and routes only", l.name, l.value)
		}
		for _, p := range people {
			if l.value == strconv.FormatInt(p.ID, 10) || strings.Contains(l.value, p.Email) || strings.Contains(l.value, "@") {
				t.Errorf("label %s=%q names a person", l.name, l.value)
			}
		}
	}
	if strings.Contains(res.body, "example.org") {
		t.Error("the exposition mentions a reviewer's email")
	}
}

// wantLines fails for each line missing from an exposition.
func wantLines(t *testing.T, body string, lines ...string) {
	t.Helper()
	have := strings.Split(body, "\n")
	for _, l := range lines {
		found := false
		for _, h := range have {
			found = found || h == l
		}
		if !found {
			t.Errorf("exposition lacks %q", l)
		}
	}
}

type label struct{ name, value string }

var (
	sampleLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*\{(.*)\} \S+$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// labels returns every label of every sample in a text exposition.
func labels(t *testing.T, body string) []label {
	t.Helper()
	var out []label
	for line := range strings.SplitSeq(body, "\n") {
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, p := range labelPair.FindAllStringSubmatch(m[1], -1) {
			out = append(out, label{p[1], p[2]})
		}
	}
	if len(out) == 0 {
		t.Fatal("no labelled sample found: is the exposition text?")
	}
	return out
}
