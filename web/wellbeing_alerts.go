package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// acknowledge attaches wellbeing staff's acknowledgements to people's
// alerts.
func (s *Server) acknowledge(ctx context.Context, people []review.Person, userID int64) error {
	acks, err := s.store.FindAlertAcks(ctx, userID)
	if err != nil {
		return err
	}
	for i := range people {
		people[i].Acknowledge(acks[people[i].UserID])
	}
	return nil
}

// openAlerts counts the team's alerts nobody has acknowledged yet.
func (s *Server) openAlerts(ctx context.Context) (int, error) {
	people, err := s.team(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range people {
		n += len(p.Open())
	}
	return n, nil
}

// ackAlert records that wellbeing staff looked at one of a person's alerts,
// with their follow-up note. The audit log says that it was acknowledged,
// never what the note says.
func (s *Server) ackAlert(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	key, note := r.PostFormValue("alert"), strings.TrimSpace(r.PostFormValue("note"))
	if len(note) > review.MaxAckNote {
		return review.Invalid("note", "keep the note under 2000 characters")
	}
	p, err := s.person(r, u, true)
	if err != nil {
		return err
	}
	known := false
	for _, a := range p.Alerts {
		known = known || a.Key == key
	}
	if !known {
		return review.Invalid("alert", "that alert is no longer raised; reload the page")
	}
	actor := current(r).user.Email
	ack := review.AlertAck{UserID: u.ID, Key: key, Note: note, By: actor, At: s.now()}
	ev := review.AuditEvent{Actor: actor, Action: review.ActionAlertAcknowledged, Target: "user:" + u.Email,
		Details: map[string]string{"alert": key, "with_note": strconv.FormatBool(note != "")}}
	if err := s.store.AckAlert(r.Context(), ack, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/wellbeing/people/"+strconv.FormatInt(u.ID, 10)+"#alerts", http.StatusSeeOther)
	return nil
}
