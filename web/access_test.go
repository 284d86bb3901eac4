package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestEveryRouteHasAnAccessEntry fails when a route is registered without
// saying who may reach it, or an entry names a route that does not exist.
func TestEveryRouteHasAnAccessEntry(t *testing.T) {
	h := newHarness(t)
	for _, p := range h.srv.patterns {
		if _, ok := routeAccess[p]; !ok {
			t.Errorf("route %q has no entry in routeAccess", p)
		}
	}
	for p := range routeAccess {
		if !slices.Contains(h.srv.patterns, p) {
			t.Errorf("routeAccess entry %q matches no registered route", p)
		}
	}
	for p := range transferKinds {
		if !slices.Contains(h.srv.patterns, p) {
			t.Errorf("transferKinds entry %q matches no registered route: its limits apply nowhere", p)
		}
	}
}

// identity is one kind of visitor in the route x role matrix.
type identity struct {
	name  string
	stage review.SessionStage // "" for no session
	role  review.Role
	token bool // an ingest API token instead of a session
}

var identities = []identity{
	{name: "anonymous"},
	{name: "api-token", token: true},
	{name: "password-only", stage: review.StagePassword, role: review.RoleAdmin},
	{name: "reviewer", stage: review.StageFull, role: review.RoleReviewer},
	{name: "lead", stage: review.StageFull, role: review.RoleLead},
	{name: "wellbeing", stage: review.StageFull, role: review.RoleWellbeing},
	{name: "admin", stage: review.StageFull, role: review.RoleAdmin},
}

// TestRouteRoleMatrix requests every registered route as every identity
// and checks that exactly the access table's visitors get through.
func TestRouteRoleMatrix(t *testing.T) {
	h := newHarness(t)
	target := h.addPerson("target@example.org", true, review.RoleReviewer)
	people := map[string]person{}
	for _, id := range identities {
		if id.stage != "" {
			people[id.name] = h.addPerson(id.name+"@example.org", true, id.role)
		}
	}
	token := h.apiToken("matrix", "photos")
	if _, err := h.srv.hashes.Create(t.Context(), "test", review.HashList{Name: "matrix-list", Kind: "block", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	// Paths name target.ID for every {id}: the partner token's list is that id.
	_, listToken, err := review.NewToken(t.Context(), h.db, h.srv.random, "test", "partner", "partner", review.ListScope(review.HashList{ID: target.ID}))
	if err != nil {
		t.Fatal(err)
	}
	_, metricsToken, err := review.NewToken(t.Context(), h.db, h.srv.random, "test", "prometheus", "monitoring", review.ScopeMetrics)
	if err != nil {
		t.Fatal(err)
	}
	// An item in the default queue, so pages that may show media have some.
	if res := h.ingest(token, meta("matrix-1", `,"uploader":{"account_id":"acct-matrix","screen_name":"telltale_uploader"}`), media(testImage(16, 16, 1))); res.status != http.StatusCreated {
		t.Fatalf("ingest: %d", res.status)
	}
	// Resource checks come after the route table: make every person a
	// member of the queue the {id} placeholder names, so that only the
	// table decides.
	for _, p := range people {
		h.db.SetMember(t.Context(), target.ID, p.ID, true, review.AuditEvent{Action: "test"})
	}
	for _, pattern := range h.srv.patterns {
		a := routeAccess[pattern]
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.NewReplacer("{id}", fmt.Sprint(target.ID), "{path...}", "css/none.css", "{$}", "").Replace(path)
		for _, id := range identities {
			t.Run(id.name+" "+pattern, func(t *testing.T) {
				var c *client
				var csrf string
				if id.stage == "" {
					c = h.client()
				} else {
					c, csrf = h.session(people[id.name], id.stage) // a fresh session per request
				}
				form := url.Values{"csrf": {csrf}, "roles": {"reviewer"}}
				req, _ := http.NewRequest(method, h.ts.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				switch {
				case id.token && strings.HasPrefix(a.apiScope, review.ScopeHashlist):
					req.Header.Set("Authorization", "Bearer "+listToken)
				case id.token && a.apiScope == review.ScopeMetrics:
					req.Header.Set("Authorization", "Bearer "+metricsToken)
				case id.token:
					req.Header.Set("Authorization", "Bearer "+token)
				}
				res := c.do(req)
				checkAccess(t, a, id, res)
			})
		}
	}
}

func checkAccess(t *testing.T, a access, id identity, res response) {
	t.Helper()
	loc := res.Header.Get("Location")
	refused := res.StatusCode == http.StatusForbidden || loc == "/signin" || loc == "/signin/2fa"
	switch {
	case a.apiScope != "" && id.token:
		if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
			t.Errorf("API route refused its token: %d", res.StatusCode)
		}
	case a.apiScope != "":
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("API route without a token: %d, want 401", res.StatusCode)
		}
	case a.public:
		if res.StatusCode == http.StatusForbidden {
			t.Errorf("public route refused: %d", res.StatusCode)
		}
	case id.stage == "":
		if res.StatusCode != http.StatusSeeOther || loc != "/signin" {
			t.Errorf("no session: %d %q, want 303 to /signin", res.StatusCode, loc)
		}
	case a.secondFactor:
		// Let in means the page answered or sent the visitor to the other
		// second-factor page; a full session is sent home instead.
		wantIn := id.stage == review.StagePassword
		if wantIn == (res.StatusCode == http.StatusForbidden || loc == "/signin" || loc == "/") {
			t.Errorf("second-factor page for %s session: %d %q", id.stage, res.StatusCode, loc)
		}
	case a.signedIn:
		// Sign-out answers every session with a redirect to the sign-in page.
		if res.StatusCode != http.StatusSeeOther || loc != "/signin" {
			t.Errorf("signed-in route: %d %q", res.StatusCode, loc)
		}
	case id.stage == review.StagePassword:
		if res.StatusCode != http.StatusSeeOther || loc != "/signin/2fa" {
			t.Errorf("password-only session: %d %q, want 303 to /signin/2fa", res.StatusCode, loc)
		}
	case slices.Contains(a.roles, id.role):
		if refused || res.StatusCode >= 500 {
			t.Errorf("%s refused or failed: %d %q", id.role, res.StatusCode, loc)
		}
	default:
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s let in: %d %q, want 403", id.role, res.StatusCode, loc)
		}
	}
	// Wellbeing staff never get media: no page they reach refers to any.
	if id.role == review.RoleWellbeing && (strings.Contains(res.body, "/media/") || strings.Contains(res.body, "/reveal/") || strings.Contains(res.body, "<img")) {
		t.Errorf("a page the wellbeing role reaches refers to media")
	}
	if id.role == review.RoleWellbeing && (strings.Contains(res.body, "matrix-1") || strings.Contains(res.body, "telltale_uploader")) {
		t.Errorf("a page the wellbeing role reaches shows item content")
	}
	if !a.public && res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", res.Header.Get("Cache-Control"))
	}
}
