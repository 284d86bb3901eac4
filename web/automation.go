package web

import (
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// setAutomation saves a queue's rule for deciding known material without
// a look; the lead who saves it becomes the reviewer of record of every
// decision it makes.
func (s *Server) setAutomation(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	u, f := current(r).user, r.PostForm
	a := review.Automation{QueueID: q.ID, Enabled: f.Get("auto_enabled") == "on", ByID: u.ID, By: u.Email}
	a.BlockListID, _ = strconv.ParseInt(f.Get("auto_block_list"), 10, 64)
	a.AllowListID, _ = strconv.ParseInt(f.Get("auto_allow_list"), 10, 64)
	a.BlockDistance, a.AllowDistance = formDistance(f.Get("auto_block_distance")), formDistance(f.Get("auto_allow_distance"))
	if !a.Enabled {
		a.OffReason = "switched off by " + u.Email
	}
	lists, err := s.store.FindHashLists(r.Context())
	if err != nil {
		return err
	}
	if err = a.Validate(lists); err == nil {
		ev := review.AuditEvent{Actor: u.Email, Action: review.ActionAutomationSet, Target: "queue:" + q.Name, Details: map[string]string{
			"enabled": strconv.FormatBool(a.Enabled), "block_list": strconv.FormatInt(a.BlockListID, 10), "block_distance": strconv.Itoa(a.BlockDistance),
			"allow_list": strconv.FormatInt(a.AllowListID, 10), "allow_distance": strconv.Itoa(a.AllowDistance),
		}}
		err = s.store.SetAutomation(r.Context(), a, ev)
	}
	if code, msg := status(err); err != nil && code < 500 {
		return s.renderQueuePage(w, r, code, msg, "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(q.ID, 10)+"?done=automation", http.StatusSeeOther)
	return nil
}

// formDistance reads a distance; what is not a number is refused by
// Validate, with the allowed range.
func formDistance(v string) int {
	d, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return d
}

// setListTrusted marks a hash list trusted (its imported entries may
// decide items without a look) or not.
func (s *Server) setListTrusted(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathHashList(r)
	if err != nil {
		return err
	}
	trusted := r.PostFormValue("trusted") == "on"
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionHashListTrusted, Target: "hashlist:" + l.Name,
		Details: map[string]string{"trusted": strconv.FormatBool(trusted)}}
	return s.afterHashListChange(w, r, l.ID, s.store.SetListTrusted(r.Context(), l.ID, trusted, ev), "trusted")
}

// automationProps is the queue page's known-material block.
func (s *Server) automationProps(r *http.Request, q review.Queue, lists []review.HashList) (components.AutomationProps, error) {
	a, err := s.store.FindAutomation(r.Context(), q.ID)
	return components.AutomationProps{CSRF: current(r).session.CSRFToken, QueueID: q.ID, Auto: a, Lists: lists}, err
}
