package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func TestAdminActionsRevokeSessions(t *testing.T) {
	for _, action := range []string{"disable", "reset-2fa", "revoke-sessions"} {
		t.Run(action, func(t *testing.T) {
			h := newHarness(t)
			admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
			victim := h.addPerson("rev@example.org", true, review.RoleReviewer)
			rc, _ := h.signIn(victim)
			ac, csrf := h.signIn(admin)
			res := ac.post(fmt.Sprintf("/admin/users/%d/%s", victim.ID, action), url.Values{"csrf": {csrf}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", action, res.StatusCode, res.testid("error"))
			}
			if res := rc.get("/"); res.Header.Get("Location") != "/signin" {
				t.Errorf("after %s the person's session still works: %d", action, res.StatusCode)
			}
			if res := ac.get("/"); res.StatusCode != 200 {
				t.Errorf("the admin was signed out too: %d", res.StatusCode)
			}
		})
	}
}

func TestCSRFRefusal(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	victim := h.addPerson("v@example.org", true, review.RoleReviewer)
	c, csrf := h.signIn(admin)
	path := fmt.Sprintf("/admin/users/%d/disable", victim.ID)
	cases := []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"no token", url.Values{}, nil},
		{"wrong token", url.Values{"csrf": {"x" + csrf}}, nil},
		{"cross-site with token", url.Values{"csrf": {csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"foreign origin with token", url.Values{"csrf": {csrf}}, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest("POST", h.ts.URL+path, strings.NewReader(tc.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		if res := c.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tc.name, res.StatusCode)
		}
	}
	u, _ := h.db.FindUserByID(context.Background(), victim.ID)
	if u.Disabled {
		t.Fatal("a refused request disabled the user")
	}
	if res := c.post(path, url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("with the right token: %d", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("h@example.org", true, review.RoleAdmin)
	c, _ := h.signIn(p)
	for _, path := range []string{"/signin", "/healthz", "/", "/admin/users", "/admin/users/999", "/no/such/page", h.srv.assets.URL("css/loupe.css")} {
		res := c.get(path)
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, res.Header)
		}
	}
	for _, path := range []string{"/", "/admin/users", "/admin/audit"} {
		if cc := c.get(path).Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
		}
	}
	if res := c.get("/admin/users/999"); res.StatusCode != 404 {
		t.Errorf("missing user: %d", res.StatusCode)
	}
}

func TestCookieAttributes(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("ck@example.org", true, review.RoleReviewer)
	res := h.client().post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	var ck *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == cookieName {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure {
		t.Errorf("cookie = %+v; want HttpOnly, SameSite=Strict, not Secure over plain HTTP", ck)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	if res := c.get("/healthz"); res.StatusCode != 200 {
		t.Errorf("healthz: %d", res.StatusCode)
	}
	if res := c.get("/readyz"); res.StatusCode != 200 {
		t.Errorf("readyz: %d", res.StatusCode)
	}
	h.db.Close()
	if res := c.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database closed: %d, want 503", res.StatusCode)
	}
}

// /readyz also asks the media storage, remembering its answer for a few
// seconds; here a local directory that disappears (the S3 tests stop a
// bucket's server).
func TestReadinessFollowsMediaStorage(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	if res := c.get("/readyz"); res.StatusCode != 200 {
		t.Fatalf("readyz: %d", res.StatusCode)
	}
	if err := os.RemoveAll(h.mediaDir); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/readyz"); res.StatusCode != 200 {
		t.Errorf("readyz within the cached answer's lifetime: %d, want 200", res.StatusCode)
	}
	h.clock.Advance(mediaCheckTTL)
	res := c.get("/readyz")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.body, "media storage unavailable") {
		t.Errorf("readyz with the media directory gone: %d %q, want 503 naming media storage", res.StatusCode, res.body)
	}
}
