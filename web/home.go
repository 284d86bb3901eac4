package web

import (
	"net/http"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// home is the start page after sign-in: for people who review, their
// queues with what waits in each and the exposure budget left today.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := current(r)
	left, err := s.store.CountRecoveryCodes(ctx, v.user.ID)
	if err != nil {
		return err
	}
	p := components.HomeProps{Page: s.page(r, "Home"), CSRF: v.session.CSRFToken, Email: v.user.Email, Roles: v.user.Roles, RecoveryLeft: left, BudgetMinutes: -1,
		Starts: components.StartProps{Roles: v.user.Roles}}
	if v.user.Roles.Any(review.RoleReviewer, review.RoleLead) {
		queues, err := s.store.FindQueues(ctx)
		if err != nil {
			return err
		}
		for _, q := range queues {
			ok, err := s.reviews.CanWork(ctx, v.user, q)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			n, err := s.store.CountWaiting(ctx, q.ID, s.now(), components.WaitingShown)
			if err != nil {
				return err
			}
			p.Queues = append(p.Queues, components.HomeQueue{ID: q.ID, Name: q.Name, Waiting: n, Paused: q.Paused})
		}
		if p.QA, err = s.qaHomeQueues(r, p.Queues); err != nil {
			return err
		}
		st, _, err := s.wellbeing.Standing(ctx, v.user.ID, 0, 0)
		if err != nil {
			return err
		}
		if b := st.BudgetLeft(); b >= 0 {
			p.BudgetMinutes = int(b / 60)
		}
	}
	if v.user.Roles.Has(review.RoleWellbeing) {
		if p.Starts.OpenAlerts, err = s.openAlerts(ctx); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, components.Home(p))
	return nil
}
