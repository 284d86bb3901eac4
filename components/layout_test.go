package components

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/loupe-review/loupe/review"
)

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestNavShowsOnlyWhatRolesAllow(t *testing.T) {
	cases := []struct {
		roles review.Roles
		want  string
	}{
		{review.Roles{review.RoleReviewer}, "Home Queues My wellbeing"},
		{review.Roles{review.RoleWellbeing}, "Home Wellbeing"},
		{review.Roles{review.RoleLead}, "Home Queues My wellbeing Routing Hash lists Reports Quality Holds"},
		{review.Roles{review.RoleAdmin}, "Home Queues Routing Hash lists Holds Users Integrations Audit log Reporting"},
	}
	for _, tc := range cases {
		page := Page{Title: "T", Nav: Nav{Email: "a@example.org", Links: NavFor(tc.roles), CSRF: "tok"}}
		doc := render(t, Home(HomeProps{Page: page, Email: "a@example.org", Roles: tc.roles, RecoveryLeft: 10}))
		var got []string
		doc.Find(`[data-testid="nav"] a`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%v: nav %q, want %q", tc.roles, got, tc.want)
		}
		if v, _ := doc.Find(`form[action="/signout"] input[name="csrf"]`).Attr("value"); v != "tok" {
			t.Errorf("sign-out form carries token %q", v)
		}
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	page := Page{Title: "T", CSS: "/static/a.css", JS: "/static/a.js", Nav: Nav{Email: "a@example.org", Links: NavFor(review.Roles{review.RoleAdmin})}}
	doc := render(t, UserList(UserListProps{Page: page, Users: []review.User{{ID: 1, Email: "b@example.org", Roles: review.Roles{review.RoleLead}}}}))
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("src"); !ok || strings.TrimSpace(s.Text()) != "" {
			t.Error("inline script found")
		}
	})
	if doc.Find("style, [style], [onclick], [onsubmit]").Length() > 0 {
		t.Error("inline style or event handler found")
	}
}

func TestRecoveryLowWarning(t *testing.T) {
	doc := render(t, Home(HomeProps{Page: Page{}, Roles: review.Roles{review.RoleReviewer}, RecoveryLeft: 1}))
	if got := strings.TrimSpace(doc.Find(`[data-testid="recovery-low"]`).Text()); !strings.Contains(got, "1 recovery code left") {
		t.Errorf("warning %q", got)
	}
}

func TestNavMarksCurrentSection(t *testing.T) {
	page := Page{Nav: Nav{Email: "a@example.org", Links: NavFor(review.Roles{review.RoleAdmin}), Current: "/admin/users"}}
	doc := render(t, Home(HomeProps{Page: page, RecoveryLeft: 10}))
	if got := doc.Find(`[aria-current="page"]`).Text(); got != "Users" {
		t.Errorf("current link %q, want Users", got)
	}
}
