package web

import (
	"net/http"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// home is the start page after sign-in.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	left, err := s.store.CountRecoveryCodes(r.Context(), v.user.ID)
	if err != nil {
		return err
	}
	starts := components.StartProps{Roles: v.user.Roles}
	if v.user.Roles.Has(review.RoleWellbeing) {
		if starts.OpenAlerts, err = s.openAlerts(r.Context()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, components.Home(components.HomeProps{
		Page: s.page(r, "Home"), Email: v.user.Email, Roles: v.user.Roles, RecoveryLeft: left, Starts: starts,
	}))
	return nil
}
