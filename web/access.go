package web

import (
	"github.com/loupe-review/loupe/review"
)

// access says who may reach a route.
type access struct {
	public       bool          // anyone, signed in or not
	secondFactor bool          // a password-only session finishing sign-in
	signedIn     bool          // any session, at either stage (sign-out)
	roles        []review.Role // a fully signed-in person holding any of these
	apiScope     string        // an API token with this scope (no session, no cookies)
	// passwordChange: reachable by a person who must first replace a
	// one-time password (every other page sends them to /password).
	passwordChange bool
}

var (
	public       = access{public: true}
	secondFactor = access{secondFactor: true}
	signedIn     = access{signedIn: true}
	anyRole      = roles(review.AllRoles...)
	ownPassword  = access{roles: review.AllRoles, passwordChange: true}
)

func roles(rs ...review.Role) access { return access{roles: rs} }

func apiToken(scope string) access { return access{apiScope: scope} }

// routeAccess is the one table of who may reach each route. A registered
// route missing from it answers 403 to everyone (default deny), and a test
// fails for it.
var routeAccess = map[string]access{
	"GET /healthz":              public,
	"GET /readyz":               public,
	"GET /static/{path...}":     public,
	"GET /favicon.ico":          public,
	"GET /{path...}":            public, // no such page: 404, with the menu when signed in
	"GET /signin":               public,
	"POST /signin":              public,
	"GET /signin/2fa":           secondFactor,
	"POST /signin/2fa":          secondFactor,
	"GET /signin/enroll":        secondFactor,
	"GET /signin/enroll/qr.png": secondFactor,
	"POST /signin/enroll":       secondFactor,
	"POST /signout":             signedIn,

	"GET /{$}":       anyRole,
	"GET /password":  ownPassword,
	"POST /password": ownPassword,

	"GET /queues":                            roles(review.RoleReviewer, review.RoleLead, review.RoleAdmin),
	"POST /queues":                           roles(review.RoleLead, review.RoleAdmin),
	"GET /queues/{id}":                       roles(review.RoleReviewer, review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}":                      roles(review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}/items":                roles(review.RoleLead),
	"POST /queues/{id}/members":              roles(review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}/members/{uid}/remove": roles(review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}/claim":                roles(review.RoleReviewer, review.RoleLead),
	"POST /queues/{id}/automation":           roles(review.RoleLead),
	"GET /queues/{id}/categories":            roles(review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}/categories":           roles(review.RoleLead, review.RoleAdmin),
	"GET /review/{id}":                       roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/lease":                roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/release":              roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/decide":               roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/split":                roles(review.RoleReviewer, review.RoleLead),
	"POST /decisions/{id}/undo":              roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/reveal":               roles(review.RoleReviewer, review.RoleLead),
	"POST /review/{id}/reblur":               roles(review.RoleReviewer, review.RoleLead),
	"GET /reveal/{token}":                    roles(review.RoleReviewer, review.RoleLead),
	"GET /media/{id}/preview":                roles(review.RoleReviewer, review.RoleLead, review.RoleAdmin),
	// Quality checks: the blind second look is a reviewer's; figures,
	// disagreements and the export are the leads'.
	"POST /queues/{id}/qa":           roles(review.RoleLead, review.RoleAdmin),
	"POST /queues/{id}/qa/claim":     roles(review.RoleReviewer, review.RoleLead),
	"GET /qa/samples/{id}":           roles(review.RoleReviewer, review.RoleLead),
	"POST /qa/samples/{id}/decide":   roles(review.RoleReviewer, review.RoleLead),
	"POST /qa/samples/{id}/release":  roles(review.RoleReviewer, review.RoleLead),
	"POST /qa/samples/{id}/resolve":  roles(review.RoleLead),
	"GET /qa":                        roles(review.RoleLead),
	"GET /qa/export.csv":             roles(review.RoleLead),
	"GET /hashlists":                 roles(review.RoleLead, review.RoleAdmin),
	"POST /hashlists":                roles(review.RoleLead, review.RoleAdmin),
	"POST /hashlists/search":         roles(review.RoleLead, review.RoleAdmin),
	"GET /hashlists/{id}":            roles(review.RoleLead, review.RoleAdmin),
	"POST /hashlists/{id}":           roles(review.RoleLead, review.RoleAdmin),
	"POST /hashlists/{id}/proposals": roles(review.RoleLead),
	"POST /hashlists/{id}/retract":   roles(review.RoleLead, review.RoleAdmin),
	"POST /hashlists/{id}/trusted":   roles(review.RoleLead),
	"GET /search":                    roles(review.RoleLead, review.RoleAdmin),
	"GET /items/{id}":                roles(review.RoleLead, review.RoleAdmin),
	"POST /items/{id}/override":      roles(review.RoleLead),
	"GET /holds":                     roles(review.RoleLead, review.RoleAdmin),
	"POST /holds/{id}/extend":        roles(review.RoleLead),

	// Report pages show uploader details and the bundle hands out
	// originals: leads only (admins manage people, not content).
	"GET /reports":               roles(review.RoleLead),
	"GET /reports/{id}":          roles(review.RoleLead),
	"POST /reports/{id}":         roles(review.RoleLead),
	"POST /reports/{id}/approve": roles(review.RoleLead),
	"POST /reports/{id}/merge":   roles(review.RoleLead),
	"POST /reports/{id}/split":   roles(review.RoleLead),
	"POST /reports/{id}/bundle":  roles(review.RoleLead),
	"GET /admin/reporting":       roles(review.RoleAdmin),
	"POST /admin/reporting":      roles(review.RoleAdmin),

	"GET /me":                            roles(review.RoleReviewer, review.RoleLead),
	"POST /me/checkins":                  roles(review.RoleReviewer, review.RoleLead),
	"GET /break":                         roles(review.RoleReviewer, review.RoleLead),
	"POST /break":                        roles(review.RoleReviewer, review.RoleLead),
	"POST /break/end":                    roles(review.RoleReviewer, review.RoleLead),
	"GET /wellbeing":                     roles(review.RoleWellbeing),
	"GET /wellbeing/export.csv":          roles(review.RoleWellbeing),
	"GET /wellbeing/people/{id}":         roles(review.RoleWellbeing),
	"POST /wellbeing/people/{id}/limits": roles(review.RoleWellbeing),
	"GET /wellbeing/limits":              roles(review.RoleWellbeing),
	"POST /wellbeing/limits":             roles(review.RoleWellbeing),
	"POST /wellbeing/queues/{id}/limits": roles(review.RoleWellbeing),
	"POST /wellbeing/people/{id}/alerts": roles(review.RoleWellbeing),

	"POST /api/v1/items":     apiToken(review.ScopeIngest),
	"GET /api/v1/items/{id}": apiToken(review.ScopeIngest),

	"GET /api/v1/hashlists/{id}/export": apiToken(review.ScopeHashlist + "{id}"),

	"GET /metrics": apiToken(review.ScopeMetrics),

	"GET /admin/users":                         roles(review.RoleAdmin),
	"POST /admin/users":                        roles(review.RoleAdmin),
	"GET /admin/users/{id}":                    roles(review.RoleAdmin),
	"POST /admin/users/{id}/roles":             roles(review.RoleAdmin),
	"POST /admin/users/{id}/disable":           roles(review.RoleAdmin),
	"POST /admin/users/{id}/enable":            roles(review.RoleAdmin),
	"POST /admin/users/{id}/reset-2fa":         roles(review.RoleAdmin),
	"POST /admin/users/{id}/revoke-sessions":   roles(review.RoleAdmin),
	"POST /admin/users/{id}/one-time-password": roles(review.RoleAdmin),
	"GET /admin/audit":                         roles(review.RoleAdmin),
	"GET /admin/audit/export.csv":              roles(review.RoleAdmin),
	"GET /admin/tokens":                        roles(review.RoleAdmin),
	"POST /admin/tokens":                       roles(review.RoleAdmin),
	"POST /admin/tokens/{id}/revoke":           roles(review.RoleAdmin),
	"POST /admin/sources/{id}/callback":        roles(review.RoleAdmin),

	"GET /rules":              roles(review.RoleLead, review.RoleAdmin),
	"POST /rules":             roles(review.RoleLead, review.RoleAdmin),
	"GET /rules/test":         roles(review.RoleLead, review.RoleAdmin),
	"GET /rules/{id}":         roles(review.RoleLead, review.RoleAdmin),
	"POST /rules/{id}":        roles(review.RoleLead, review.RoleAdmin),
	"POST /rules/{id}/delete": roles(review.RoleLead, review.RoleAdmin),
}
