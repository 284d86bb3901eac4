package web

import (
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// Every browser asks for /favicon.ico: it gets a small PNG, and every page
// links the same icon.
func TestFavicon(t *testing.T) {
	h := newHarness(t)
	res, err := http.Get(h.ts.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("/favicon.ico: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	img, err := png.Decode(res.Body)
	if err != nil || img.Bounds().Dx() != 32 {
		t.Errorf("not a 32 px PNG: %v", err)
	}
	page := h.client().get("/signin")
	href, ok := page.doc.Find(`link[rel="icon"]`).Attr("href")
	if !ok || h.client().get(href).StatusCode != http.StatusOK {
		t.Errorf("the page links icon %q", href)
	}
}

// An error met while signed in keeps the person's menu; signed out there
// is none to keep.
func TestErrorPageKeepsTheMenu(t *testing.T) {
	h := newHarness(t)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	c, _ := h.signIn(lead)
	for _, path := range []string{"/items/999999", "/reports/424242", "/admin/users", "/no/such/page"} {
		res := c.get(path)
		if res.StatusCode < 400 || res.doc.Find(`[data-testid="nav"] a[href="/queues"]`).Length() != 1 || res.testid("who") != lead.Email {
			t.Errorf("%s: %d without the menu", path, res.StatusCode)
		}
	}
	if res := h.client().get("/no/such/page"); res.StatusCode != http.StatusNotFound || res.doc.Find(`[data-testid="nav"]`).Length() != 0 {
		t.Errorf("signed out, an unknown address: %d", res.StatusCode)
	}
}

// Filter links say which one is active.
func TestActiveFilterIsMarked(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	c, _ := s.h.signIn(s.lead)
	page := c.get("/reports?status=open")
	active := page.doc.Find(`nav[aria-label="Status"] a[aria-current]`)
	if active.Length() != 1 || strings.TrimSpace(active.Text()) != string(review.CaseOpen) {
		t.Errorf("active filter: %d links, %q", active.Length(), active.Text())
	}
}

// Home gives leads, wellbeing staff and admins somewhere to start.
func TestHomeHasStartingLinksPerRole(t *testing.T) {
	h := newHarness(t)
	for role, want := range map[review.Role][]string{
		review.RoleLead:      {"start-lead", "/reports", "/hashlists"},
		review.RoleWellbeing: {"start-wellbeing", "/wellbeing", "/wellbeing/limits"},
		review.RoleAdmin:     {"start-admin", "/admin/users", "/admin/tokens", "/admin/reporting"},
	} {
		p := h.addPerson(string(role)+"@example.org", true, role)
		c, _ := h.session(p, review.StageFull)
		home := c.get("/")
		block := home.doc.Find(`[data-testid="` + want[0] + `"]`)
		if block.Length() != 1 {
			t.Errorf("%s: no block %s", role, want[0])
			continue
		}
		for _, href := range want[1:] {
			if block.Find(`a[href="`+href+`"]`).Length() == 0 {
				t.Errorf("%s: no link to %s", role, href)
			}
		}
		if n := home.doc.Find(`[data-testid^="start-"]`).Length(); n != 1 {
			t.Errorf("%s sees %d role blocks", role, n)
		}
	}
}

// Empty hash-list tables say what to do instead of showing bare headers.
func TestHashListEmptyStates(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	if c.get("/hashlists").testid("no-hashlists") == "" {
		t.Error("no word on an empty list of hash lists")
	}
	res := c.post("/hashlists", url.Values{"csrf": {csrf}, "name": {"known"}, "kind": {"block"}, "threshold": {"31"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create list: %d %s", res.StatusCode, res.testid("error"))
	}
	page := c.get(res.Header.Get("Location"))
	if !strings.Contains(page.testid("no-entries"), "loupe hashlist import") || page.testid("no-retracted") == "" {
		t.Errorf("empty list page: entries %q, retracted %q", page.testid("no-entries"), page.testid("no-retracted"))
	}
	if page.doc.Find(`table`).Length() != 0 {
		t.Errorf("%d header-only tables", page.doc.Find(`table`).Length())
	}
}

// A queue member's email stands apart from its Remove button, and the
// routing form's labels keep their explanations in one piece around the
// code they quote.
func TestMemberAndRuleFormMarkup(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	c, _ := s.h.signIn(s.lead)
	page := c.get(fmt.Sprintf("/queues/%d", s.queue.ID))
	var emails []string
	for _, e := range page.doc.Find(`[data-testid="members"] [data-testid="member-email"]`).EachIter() {
		emails = append(emails, e.Text())
	}
	if len(emails) != 2 || !slices.Contains(emails, s.rev1.Email) {
		t.Errorf("member emails: %q", emails)
	}
	if b := page.doc.Find(`[data-testid="members"] button`).First(); b.AttrOr("aria-label", "") != "Remove "+emails[0] {
		t.Errorf("remove button: %q", b.AttrOr("aria-label", ""))
	}
	rules := c.get("/rules")
	for _, name := range []string{"scores", "hash_match"} {
		label := rules.doc.Find(`label:has(input[name="` + name + `"])`)
		if label.Children().Length() != 2 || label.Children().First().Find("code").Length() != 1 {
			t.Errorf("the %s label is broken into %d pieces", name, label.Children().Length())
		}
	}
}
