package web

import "net/http"

// routes registers every route. Each goes through guard, which enforces
// routeAccess; the whole mux sits behind the security middleware.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h handlerFunc) {
		s.patterns = append(s.patterns, pattern)
		mux.Handle(pattern, s.metrics.instrument(pattern, s.guard(pattern, h)))
	}

	handle("GET /healthz", s.healthz)
	handle("GET /readyz", s.readyz)
	handle("GET /static/{path...}", s.staticFile)

	handle("GET /signin", s.signInPage)
	handle("POST /signin", s.signIn)
	handle("GET /signin/2fa", s.secondFactorPage)
	handle("POST /signin/2fa", s.secondFactor)
	handle("GET /signin/enroll", s.enrollPage)
	handle("GET /signin/enroll/qr.png", s.enrollQR)
	handle("POST /signin/enroll", s.enroll)
	handle("POST /signout", s.signOut)

	handle("GET /{$}", s.home)

	handle("GET /queues", s.queues)
	handle("POST /queues", s.createQueue)
	handle("GET /queues/{id}", s.queuePage)
	handle("POST /queues/{id}", s.updateQueue)
	handle("POST /queues/{id}/members", s.assignMember)
	handle("POST /queues/{id}/members/{uid}/remove", s.removeMember)
	handle("POST /queues/{id}/claim", s.claim)
	handle("GET /review/{id}", s.reviewScreen)
	handle("POST /review/{id}/lease", s.renewLease)
	handle("POST /review/{id}/release", s.release)
	handle("POST /review/{id}/decide", s.decide)
	handle("POST /review/{id}/reveal", s.reveal)
	handle("POST /review/{id}/reblur", s.reblur)
	handle("GET /reveal/{token}", s.revealed)
	handle("GET /media/{id}/preview", s.preview)
	handle("GET /hashlists", s.hashLists)
	handle("POST /hashlists", s.createHashList)
	handle("POST /hashlists/search", s.searchByImage)
	handle("GET /hashlists/{id}", s.hashListPage)
	handle("POST /hashlists/{id}", s.updateHashList)
	handle("POST /hashlists/{id}/proposals", s.decideProposals)
	handle("POST /hashlists/{id}/retract", s.retractEntries)
	handle("GET /items/{id}", s.itemPage)
	handle("POST /items/{id}/override", s.override)

	handle("GET /me", s.myWellbeing)
	handle("POST /me/checkins", s.checkIn)
	handle("GET /break", s.breakPage)
	handle("POST /break", s.stepAway)
	handle("POST /break/end", s.endBreak)
	handle("GET /wellbeing", s.wellbeingDashboard)
	handle("GET /wellbeing/export.csv", s.wellbeingExport)
	handle("GET /wellbeing/people/{id}", s.wellbeingPerson)
	handle("POST /wellbeing/people/{id}/limits", s.setPersonLimits)
	handle("GET /wellbeing/limits", s.wellbeingLimits)
	handle("POST /wellbeing/limits", s.setOrgLimits)
	handle("POST /wellbeing/queues/{id}/limits", s.setQueueLimits)

	handle("POST /api/v1/items", s.ingestItem)
	handle("GET /api/v1/items/{id}", s.getItem)
	handle("GET /api/v1/hashlists/{name}/export", s.exportHashList)
	handle("GET /metrics", s.serveMetrics)

	handle("GET /admin/users", s.userList)
	handle("POST /admin/users", s.createUser)
	handle("GET /admin/users/{id}", s.userDetail)
	handle("POST /admin/users/{id}/roles", s.setUserRoles)
	handle("POST /admin/users/{id}/disable", s.disableUser)
	handle("POST /admin/users/{id}/enable", s.enableUser)
	handle("POST /admin/users/{id}/reset-2fa", s.resetUserTOTP)
	handle("POST /admin/users/{id}/revoke-sessions", s.revokeUserSessions)
	handle("GET /admin/audit", s.auditLog)
	handle("GET /admin/tokens", s.integrations)
	handle("POST /admin/tokens", s.createToken)
	handle("POST /admin/tokens/{id}/revoke", s.revokeToken)
	handle("POST /admin/sources/{id}/callback", s.setCallback)

	handle("GET /rules", s.rules)
	handle("POST /rules", s.createRule)
	handle("GET /rules/test", s.testRules)
	handle("GET /rules/{id}", s.ruleDetail)
	handle("POST /rules/{id}", s.updateRule)
	handle("POST /rules/{id}/delete", s.deleteRule)

	return s.secure(http.NewCrossOriginProtection().Handler(mux))
}
