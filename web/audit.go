package web

import (
	"net/http"
	"time"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// auditLog lists audit entries, filtered by actor, action and dates.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := components.AuditProps{Actor: q.Get("actor"), Action: q.Get("action"), Since: q.Get("since"), Until: q.Get("until")}
	f := review.AuditFilter{Actor: p.Actor, Action: p.Action, Limit: 500}
	var bad review.ValidationError
	if p.Since != "" {
		t, err := time.Parse(time.DateOnly, p.Since)
		if err != nil {
			bad.Add("since", "dates look like 2026-11-26")
		}
		f.Since = t
	}
	if p.Until != "" {
		t, err := time.Parse(time.DateOnly, p.Until)
		if err != nil {
			bad.Add("until", "dates look like 2026-11-26")
		}
		f.Until = t.AddDate(0, 0, 1) // inclusive of the whole day
	}
	code := http.StatusOK
	if err := bad.Err(); err != nil {
		code, p.Error = status(err)
	} else {
		var err error
		if p.Entries, err = s.store.FindAuditEntries(r.Context(), f); err != nil {
			return err
		}
	}
	p.Page = s.page(r, "Audit log")
	s.render(w, r, code, components.Audit(p))
	return nil
}
