// Package components renders Loupe's pages with templ. Components take one
// props struct holding exactly what they show; they do no I/O, read no
// clock, and carry no inline scripts (behaviour lives in static/js).
package components

import "github.com/loupe-review/loupe/review"

// Page is what every page's frame needs.
type Page struct {
	Title string
	CSS   string // hashed asset URLs
	JS    string
	Icon  string
	// ReviewJS is set on the review screen only.
	ReviewJS string
	Nav      Nav
	Narrow   bool // a small centred column, for sign-in pages
	// Notices are wellbeing warnings: a limit is close.
	Notices []string
}

// Nav is the top bar: only links the person's roles allow.
type Nav struct {
	Email   string // empty when nobody is signed in
	Links   []Link
	Current string // href of the current section
	CSRF    string
	// StepAway shows the always-visible step-away button (people who review).
	StepAway bool
	// Search shows the search box (leads and admins).
	Search bool
}

// Link is one navigation entry.
type Link struct {
	Href  string
	Label string
}

// NavFor returns the links a person with roles may follow.
func NavFor(roles review.Roles) []Link {
	links := []Link{{Href: "/", Label: "Home"}}
	if roles.Any(review.RoleReviewer, review.RoleLead, review.RoleAdmin) {
		links = append(links, Link{Href: "/queues", Label: "Queues"})
	}
	if roles.Any(review.RoleReviewer, review.RoleLead) {
		links = append(links, Link{Href: "/me", Label: "My wellbeing"})
	}
	if roles.Has(review.RoleWellbeing) {
		links = append(links, Link{Href: "/wellbeing", Label: "Wellbeing"})
	}
	if roles.Any(review.RoleLead, review.RoleAdmin) {
		links = append(links, Link{Href: "/rules", Label: "Routing"}, Link{Href: "/hashlists", Label: "Hash lists"})
	}
	if roles.Has(review.RoleLead) {
		links = append(links, Link{Href: "/reports", Label: "Reports"}, Link{Href: "/qa", Label: "Quality"})
	}
	if roles.Any(review.RoleLead, review.RoleAdmin) {
		links = append(links, Link{Href: "/holds", Label: "Holds"})
	}
	if roles.Has(review.RoleAdmin) {
		links = append(links, Link{Href: "/admin/users", Label: "Users"}, Link{Href: "/admin/tokens", Label: "Integrations"}, Link{Href: "/admin/audit", Label: "Audit log"}, Link{Href: "/admin/reporting", Label: "Reporting"})
	}
	return links
}
