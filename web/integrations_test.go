package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/loupe-review/loupe/review"
)

// The scope chosen in the token form is the token's scope: ingest,
// metrics, or the export of one hash list; a list that does not exist is
// refused with the form kept.
func TestTokenScopeChosenInTheBrowser(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	l, err := h.db.CreateHashList(ctx, review.HashList{Name: "partner-list", Kind: "block", Threshold: review.DefaultThreshold, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)

	page := c.get("/admin/tokens")
	if page.testid("no-tokens") == "" || page.testid("no-deliveries") == "" {
		t.Errorf("empty tables without a word: tokens %q, deliveries %q", page.testid("no-tokens"), page.testid("no-deliveries"))
	}
	var offered []string
	page.doc.Find(`[data-testid="scope"] option`).Each(func(_ int, o *goquery.Selection) { offered = append(offered, o.AttrOr("value", "")) })
	want := []string{review.ScopeIngest, review.ScopeMetrics, review.ListScope(l)}
	if fmt.Sprint(offered) != fmt.Sprint(want) {
		t.Errorf("scopes offered %v, want %v", offered, want)
	}

	for name, scope := range map[string]string{"prom": review.ScopeMetrics, "partner": review.ListScope(l), "scanner": review.ScopeIngest} {
		res := c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {name}, "source": {"photos"}, "scope": {scope}})
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.testid("new-token"), review.TokenPrefix) {
			t.Fatalf("make %s token: %d %s", scope, res.StatusCode, res.testid("error"))
		}
	}
	res := c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {"ghost"}, "source": {"photos"}, "scope": {"hashlist:999"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), "hash list") {
		t.Errorf("a scope for no list: %d %q", res.StatusCode, res.testid("error"))
	}
	if v, _ := res.doc.Find(`input[name="name"]`).Attr("value"); v != "ghost" {
		t.Errorf("the refused form lost its name: %q", v)
	}
	tokens, _ := h.db.FindTokens(ctx)
	got := map[string]string{}
	for _, tk := range tokens {
		got[tk.Name] = tk.Scope
	}
	if got["prom"] != review.ScopeMetrics || got["partner"] != review.ListScope(l) || got["scanner"] != review.ScopeIngest || len(got) != 3 {
		t.Errorf("tokens made: %v", got)
	}
	// The metrics token reads the metrics.
	res = c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {"prom2"}, "source": {"ops"}, "scope": {review.ScopeMetrics}})
	if m := h.scrape(h.client(), res.testid("new-token")); m.StatusCode != http.StatusOK {
		t.Errorf("GET /metrics with the token made in the browser: %d", m.StatusCode)
	}
}
