package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// holds shows the register of legal holds in force, by case.
func (s *Server) holds(w http.ResponseWriter, r *http.Request) error {
	notice := map[string]string{"extended": "Hold extended; the reason is in the audit log."}[r.URL.Query().Get("done")]
	return s.renderHolds(w, r, http.StatusOK, "", notice)
}

func (s *Server) renderHolds(w http.ResponseWriter, r *http.Request, code int, problem, notice string) error {
	hs, err := s.store.FindHolds(r.Context(), s.now())
	if err != nil {
		return err
	}
	s.render(w, r, code, components.Holds(components.HoldsProps{
		Page: s.page(r, "Legal holds"), CSRF: current(r).session.CSRFToken, Holds: hs,
		CanExtend: current(r).user.Roles.Has(review.RoleLead), Error: problem, Notice: notice,
	}))
	return nil
}

// extendHold moves a hold's end to a later date (field until, a
// YYYY-MM-DD date, midnight UTC) with a reason (field reason).
func (s *Server) extendHold(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var until time.Time
	if v := strings.TrimSpace(r.PostFormValue("until")); v != "" {
		if until, err = time.Parse(time.DateOnly, v); err != nil {
			return s.renderHolds(w, r, http.StatusBadRequest, "dates look like 2027-11-26", "")
		}
	}
	ev := review.AuditEvent{Actor: current(r).user.Email}
	err = s.store.ExtendHold(r.Context(), id, until, r.PostFormValue("reason"), ev)
	var v *review.ValidationError
	if errors.As(err, &v) {
		return s.renderHolds(w, r, http.StatusBadRequest, v.Message(), "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/holds?done=extended", http.StatusSeeOther)
	return nil
}
