package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

// TestFirstSignInEnrollsThenSignsInWithCode walks a new person through
// enrollment, recovery codes, sign-out and a second sign-in.
func TestFirstSignInEnrollsThenSignsInWithCode(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("new@example.org", false, review.RoleReviewer)
	c := h.client()

	res := c.post("/signin", url.Values{"email": {"new@example.org"}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/enroll" {
		t.Fatalf("password step: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/"); res.Header.Get("Location") != "/signin/2fa" {
		t.Errorf("password-only session reached home: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.get("/signin/enroll")
	p.secret = page.testid("totp-secret")
	if len(p.secret) != 32 {
		t.Fatalf("secret on the enrollment page = %q", p.secret)
	}
	if again := c.get("/signin/enroll"); again.testid("totp-secret") != p.secret {
		t.Error("reloading the enrollment page changed the secret")
	}
	if qr := c.get("/signin/enroll/qr.png"); qr.StatusCode != 200 || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("QR code: %d %v", qr.StatusCode, qr.Header)
	}
	wrong := c.post("/signin/enroll", url.Values{"code": {"000000"}, "csrf": {page.csrf()}})
	if wrong.StatusCode != http.StatusBadRequest || wrong.testid("error") == "" {
		t.Errorf("wrong enrollment code: %d %q", wrong.StatusCode, wrong.testid("error"))
	}
	done := c.post("/signin/enroll", url.Values{"code": {h.code(p)}, "csrf": {page.csrf()}})
	codes := done.doc.Find(`[data-testid="recovery-codes"] li`)
	if done.StatusCode != 200 || codes.Length() != 10 {
		t.Fatalf("after enrollment: %d, %d recovery codes", done.StatusCode, codes.Length())
	}
	home := c.get("/")
	if home.StatusCode != 200 || home.testid("who") != "new@example.org" {
		t.Fatalf("home after enrollment: %d %q", home.StatusCode, home.testid("who"))
	}
	if out := c.post("/signout", url.Values{"csrf": {home.csrf()}}); out.Header.Get("Location") != "/signin" {
		t.Fatalf("sign-out: %d %q", out.StatusCode, out.Header.Get("Location"))
	}
	if res := c.get("/"); res.Header.Get("Location") != "/signin" {
		t.Error("still signed in after sign-out")
	}
	h.clock.Advance(30 * time.Second)
	h.signIn(p)
}

func TestSignInRefusals(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("ana@example.org", true, review.RoleReviewer)
	c := h.client()
	unknown := c.post("/signin", url.Values{"email": {"nobody@example.org"}, "password": {testPassword}})
	wrong := c.post("/signin", url.Values{"email": {p.Email}, "password": {"not the password"}})
	if unknown.StatusCode != http.StatusUnauthorized || wrong.StatusCode != http.StatusUnauthorized {
		t.Fatalf("statuses %d and %d, want 401", unknown.StatusCode, wrong.StatusCode)
	}
	if unknown.testid("error") != wrong.testid("error") || unknown.testid("error") == "" {
		t.Errorf("messages differ, which reveals whether an email exists:\n%q\n%q", unknown.testid("error"), wrong.testid("error"))
	}

	// A code that was already accepted is refused in a later sign-in.
	c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	page := c.get("/signin/2fa")
	code := h.code(p)
	if res := c.post("/signin/2fa", url.Values{"code": {code}, "csrf": {page.csrf()}}); res.Header.Get("Location") != "/" {
		t.Fatalf("first use of code: %d", res.StatusCode)
	}
	c2 := h.client()
	c2.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	page = c2.get("/signin/2fa")
	if res := c2.post("/signin/2fa", url.Values{"code": {code}, "csrf": {page.csrf()}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("replayed code: %d, want 401", res.StatusCode)
	}
	// The recovery code works once.
	if res := c2.post("/signin/2fa", url.Values{"code": {"AAAA BBBB CCCC"}, "csrf": {page.csrf()}}); res.Header.Get("Location") != "/" {
		t.Errorf("recovery code: %d %q", res.StatusCode, res.testid("error"))
	}
	entries, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionRecoveryUsed})
	if len(entries) != 1 {
		t.Errorf("%d recovery-code audit entries, want 1", len(entries))
	}
}

func TestIPThrottle(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for range review.DefaultSignInPolicy.IPMaxFailures {
		c.post("/signin", url.Values{"email": {"x@example.org"}, "password": {"wrong password!"}})
	}
	res := c.post("/signin", url.Values{"email": {"x@example.org"}, "password": {"wrong password!"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("after %d failures: %d, Retry-After %q", review.DefaultSignInPolicy.IPMaxFailures, res.StatusCode, res.Header.Get("Retry-After"))
	}
	h.clock.Advance(review.DefaultSignInPolicy.IPWindow)
	if res := c.post("/signin", url.Values{"email": {"x@example.org"}, "password": {"wrong password!"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the window: %d, want 401", res.StatusCode)
	}
}

func TestSessionTimeouts(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("eve@example.org", true, review.RoleReviewer)
	c, _ := h.signIn(p)
	for range 25 { // active for 12.5 hours, every 30 minutes less a minute
		h.clock.Advance(29 * time.Minute)
		if res := c.get("/"); res.StatusCode != 200 {
			if h.clock.Now().Sub(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) < review.SessionAbsolute {
				t.Fatalf("session ended early at %v", h.clock.Now())
			}
			return
		}
	}
	t.Error("session outlived the 12-hour absolute timeout")
}

func TestIdleSessionEnds(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("ida@example.org", true, review.RoleReviewer)
	c, _ := h.signIn(p)
	h.clock.Advance(review.SessionIdle)
	if res := c.get("/"); res.Header.Get("Location") != "/signin" {
		t.Errorf("after 30 idle minutes: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSessionIDRotatesAtEachStep(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("rot@example.org", true, review.RoleReviewer)
	c := h.client()
	u, _ := url.Parse(h.ts.URL)
	cookie := func() string {
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == cookieName {
				return ck.Value
			}
		}
		return ""
	}
	c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	first := cookie()
	page := c.get("/signin/2fa")
	c.post("/signin/2fa", url.Values{"code": {h.code(p)}, "csrf": {page.csrf()}})
	if first == "" || cookie() == first {
		t.Error("session cookie did not change at the second step")
	}
	if _, _, err := h.db.FindSession(context.Background(), secret.Digest("x")); err == nil {
		t.Error("nonsense session found")
	}
}
