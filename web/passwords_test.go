package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// An admin sets a one-time password: it is shown once, the person is
// signed out, and at their next sign-in every page sends them to choose
// their own first. Both steps are audited; the password is in neither.
func TestOneTimePasswordMustBeChangedAtNextSignIn(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	kit := h.addPerson("kit@example.org", true, review.RoleReviewer)
	old, _ := h.signIn(kit)
	ac, acsrf := h.signIn(admin)

	if res := ac.post(fmt.Sprintf("/admin/users/%d/one-time-password", admin.ID), url.Values{"csrf": {acsrf}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an admin setting their own one-time password: %d", res.StatusCode)
	}
	res := ac.post(fmt.Sprintf("/admin/users/%d/one-time-password", kit.ID), url.Values{"csrf": {acsrf}})
	otp := res.testid("new-password")
	if res.StatusCode != http.StatusOK || len(otp) < review.MinPasswordLength {
		t.Fatalf("set one-time password: %d %q", res.StatusCode, otp)
	}
	if res := old.get("/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin" {
		t.Errorf("the old session still works: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.Contains(ac.get(fmt.Sprintf("/admin/users/%d", kit.ID)).testid("must-change"), "one-time password") {
		t.Error("the person's page does not say a change is due")
	}

	// Sign in with the one-time password (and the authenticator).
	c := h.client()
	if res := c.post("/signin", url.Values{"email": {kit.Email}, "password": {otp}}); res.Header.Get("Location") != "/signin/2fa" {
		t.Fatalf("password step: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.get("/signin/2fa")
	if res := c.post("/signin/2fa", url.Values{"code": {h.code(kit)}, "csrf": {page.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("code step: %d", res.StatusCode)
	}
	for _, path := range []string{"/", "/queues", "/me"} {
		if res := c.get(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/password" {
			t.Errorf("%s before the change: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	form := c.get("/password")
	if form.StatusCode != http.StatusOK || form.testid("forced") == "" || form.doc.Find(`[data-testid="nav"] a`).Length() != 0 {
		t.Fatalf("change page: %d, forced %q", form.StatusCode, form.testid("forced"))
	}
	csrf := form.csrf()
	if res := c.post("/password", url.Values{"csrf": {csrf}, "current": {otp}, "password": {otp}, "confirm": {otp}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("keeping the one-time password: %d", res.StatusCode)
	}
	if res := c.post("/password", url.Values{"csrf": {csrf}, "current": {"wrong password!!"}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong current password: %d", res.StatusCode)
	}
	if res := c.post("/password", url.Values{"csrf": {csrf}, "current": {otp}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d %s", res.StatusCode, res.testid("error"))
	}
	if res := c.get("/"); res.StatusCode != http.StatusOK {
		t.Errorf("home after the change: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	u, _ := h.db.FindUserByID(context.Background(), kit.ID)
	if u.MustChangePassword {
		t.Error("the flag is still set")
	}

	set, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionUserPassword})
	changed, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionPasswordChanged})
	if len(set) != 1 || set[0].Actor != admin.Email || set[0].Target != "user:"+kit.Email || !strings.Contains(set[0].Details, "one_time") {
		t.Errorf("setting audited as %+v", set)
	}
	if len(changed) != 1 || changed[0].Actor != kit.Email {
		t.Errorf("the change audited as %+v", changed)
	}
	for _, e := range append(set, changed...) {
		if strings.Contains(e.Details, otp) || strings.Contains(e.Details, "brand new") {
			t.Errorf("a password in the audit log: %s", e.Details)
		}
	}
}
