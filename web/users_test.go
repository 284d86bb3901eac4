package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func TestAdminAddsPerson(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)

	res := c.post("/admin/users", url.Values{"csrf": {csrf}, "email": {"Lee@Example.org"}, "roles": {"lead", "reviewer"}})
	pw := res.testid("new-password")
	if res.StatusCode != 200 || len(pw) < 12 {
		t.Fatalf("create: %d, password %q", res.StatusCode, pw)
	}
	list := c.get("/admin/users")
	if n := list.doc.Find(`[data-testid="user-row"]`).Length(); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	if list.doc.Find(`[data-testid="users"]`).Text() == "" {
		t.Error("empty user table")
	}
	cases := []struct {
		form url.Values
		code int
	}{
		{url.Values{"email": {"lee@example.org"}, "roles": {"lead"}}, http.StatusConflict},
		{url.Values{"email": {"not an email"}, "roles": {"lead"}}, http.StatusBadRequest},
		{url.Values{"email": {"z@example.org"}}, http.StatusBadRequest},
		{url.Values{"email": {"z@example.org"}, "roles": {"boss"}}, http.StatusBadRequest},
		{url.Values{"email": {"z@example.org"}, "roles": {"lead"}, "password": {"short"}}, http.StatusBadRequest},
	}
	for _, tc := range cases {
		tc.form.Set("csrf", csrf)
		res := c.post("/admin/users", tc.form)
		if res.StatusCode != tc.code || res.testid("error") == "" {
			t.Errorf("%v: %d %q, want %d with a message", tc.form, res.StatusCode, res.testid("error"), tc.code)
		}
	}
	if n := c.get("/admin/users").doc.Find(`[data-testid="user-row"]`).Length(); n != 2 {
		t.Errorf("refused submissions changed the user count to %d", n)
	}
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	if res := c.post(fmt.Sprintf("/admin/users/%d/disable", admin.ID), url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("self-disable: %d, want 403", res.StatusCode)
	}
	if res := c.post(fmt.Sprintf("/admin/users/%d/roles", admin.ID), url.Values{"csrf": {csrf}, "roles": {"reviewer"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("dropping own admin role: %d, want 403", res.StatusCode)
	}
	if res := c.get("/admin/users"); res.StatusCode != 200 {
		t.Errorf("admin lost access: %d", res.StatusCode)
	}
}

func TestRolesChangeTakesEffectAtOnce(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	ac, csrf := h.signIn(admin)
	lc, _ := h.signIn(lead)
	if res := lc.get("/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("lead reached the admin page: %d", res.StatusCode)
	}
	res := ac.post(fmt.Sprintf("/admin/users/%d/roles", lead.ID), url.Values{"csrf": {csrf}, "roles": {"lead", "admin"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set roles: %d", res.StatusCode)
	}
	if detail := ac.get(res.Header.Get("Location")); detail.testid("notice") != "Roles saved." {
		t.Errorf("notice = %q", detail.testid("notice"))
	}
	if res := lc.get("/admin/users"); res.StatusCode != 200 {
		t.Errorf("new admin refused: %d", res.StatusCode)
	}
}

func TestAuditPageFilters(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, _ := h.signIn(admin)
	h.client().post("/signin", url.Values{"email": {"admin@example.org"}, "password": {"wrong password!!"}})
	res := c.get("/admin/audit?action=" + review.ActionSignInFailed)
	rows := res.doc.Find(`[data-testid="audit-action"]`)
	if rows.Length() != 1 || rows.Text() != review.ActionSignInFailed {
		t.Errorf("filtered by action: %d rows %q", rows.Length(), rows.Text())
	}
	if res := c.get("/admin/audit?actor=nobody@example.org"); res.doc.Find(`[data-testid="audit-row"]`).Length() != 0 {
		t.Error("filter by unknown actor returned rows")
	}
	if res := c.get("/admin/audit?since=2026-11-27"); res.doc.Find(`[data-testid="audit-row"]`).Length() != 0 {
		t.Error("entries from before the since date")
	}
	if res := c.get("/admin/audit?since=yesterday"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad date: %d, want 400", res.StatusCode)
	}
}
