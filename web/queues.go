package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

func isLead(u review.User) bool { return u.Roles.Any(review.RoleLead, review.RoleAdmin) }

// queues lists the queues a person works, or all of them for leads.
func (s *Server) queues(w http.ResponseWriter, r *http.Request) error {
	return s.renderQueues(w, r, http.StatusOK, "", "")
}

func (s *Server) renderQueues(w http.ResponseWriter, r *http.Request, code int, problem, name string) error {
	u := current(r).user
	qs, err := s.store.FindQueues(r.Context())
	if err != nil {
		return err
	}
	p := components.QueuesProps{Page: s.page(r, "Queues"), CSRF: current(r).session.CSRFToken, IsLead: isLead(u), Error: problem, NewName: name}
	for _, q := range qs {
		can, err := s.reviews.CanWork(r.Context(), u, q)
		if err != nil {
			return err
		}
		if !can && !p.IsLead {
			continue
		}
		st, err := s.store.FindQueueStats(r.Context(), q, s.now())
		if err != nil {
			return err
		}
		p.Queues = append(p.Queues, components.QueueSummary{Queue: q, Stats: st, CanWork: can})
	}
	s.render(w, r, code, components.Queues(p))
	return nil
}

// createQueue adds a queue with the default settings.
func (s *Server) createQueue(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	q := review.NewQueue(name)
	err := q.Validate()
	if err == nil {
		q, err = s.store.CreateQueue(r.Context(), q, review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionQueueCreated, Target: "queue:" + name})
	}
	if code, msg := status(err); err != nil && code < 500 {
		if code == http.StatusConflict {
			msg = "A queue with that name exists."
		}
		return s.renderQueues(w, r, code, msg, name)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(q.ID, 10), http.StatusSeeOther)
	return nil
}

var queueNotices = map[string]string{
	"saved": "Settings saved.", "assigned": "Reviewer assigned.", "removed": "Reviewer removed.",
	"empty":      "Nothing is waiting for you in this queue right now.",
	"qa-empty":   "No quality checks are waiting for you in this queue right now.",
	"automation": "Known-material settings saved.",
}

// queuePage shows a queue's figures; leads also see waiting items as
// blurred thumbnails, the reviewers and the settings.
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) error {
	notice := queueNotices[r.URL.Query().Get("done")]
	if notice == "" {
		notice = bulkNotice(r.URL.Query())
	}
	return s.renderQueuePage(w, r, http.StatusOK, "", notice)
}

func (s *Server) renderQueuePage(w http.ResponseWriter, r *http.Request, code int, problem, notice string) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	u := current(r).user
	p := components.QueuePageProps{Page: s.page(r, q.Name), CSRF: current(r).session.CSRFToken, Queue: q, IsLead: isLead(u), Error: problem, Notice: notice}
	if p.CanWork, err = s.reviews.CanWork(r.Context(), u, q); err != nil {
		return err
	}
	if !p.CanWork && !p.IsLead {
		return review.ErrForbidden
	}
	if p.CanWork {
		p.Page.Notices = s.notices(r, q.ID)
		now := s.now()
		if p.Undo, err = s.store.FindUndoable(r.Context(), u.ID, now); err != nil && !errors.Is(err, review.ErrNotFound) {
			return err
		}
		p.UndoSeconds = p.Undo.SecondsLeft(now)
	}
	if p.Stats, err = s.store.FindQueueStats(r.Context(), q, s.now()); err != nil {
		return err
	}
	if p.IsLead {
		if p.Members, err = s.store.FindMembers(r.Context(), q.ID); err != nil {
			return err
		}
		if p.Candidates, err = s.candidates(r, p.Members); err != nil {
			return err
		}
		if p.Waiting, err = s.waitingTable(r, q); err != nil {
			return err
		}
		if p.Lists, err = s.store.FindHashLists(r.Context()); err != nil {
			return err
		}
		if p.Automation, err = s.automationProps(r, q, p.Lists); err != nil {
			return err
		}
	}
	s.render(w, r, code, components.QueuePage(p))
	return nil
}

// updateQueue saves a queue's settings.
func (s *Server) updateQueue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	f := r.PostForm
	q.Name, q.Description = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("description"))
	q.Taxonomy = review.ParseTaxonomy(f.Get("taxonomy"))
	q.SLAHours, _ = strconv.Atoi(f.Get("sla_hours"))
	q.Policy.ReblurSeconds, _ = strconv.Atoi(f.Get("reblur_seconds"))
	q.Policy.Steps = f["steps"]
	if q.Policy.SpotlightMaxPercent, err = strconv.Atoi(f.Get("spotlight_max_percent")); err != nil {
		q.Policy.SpotlightMaxPercent = -1 // refused by Validate, with the allowed range
	}
	q.RequiredReviews, _ = strconv.Atoi(f.Get("required_reviews"))
	q.Reportable, q.Paused = f.Get("reportable") == "on", f.Get("paused") == "on"
	q.ProposeListID, _ = strconv.ParseInt(f.Get("propose_list_id"), 10, 64)
	if v, ok := f["cluster_threshold"]; ok { // absent: unchanged
		if q.ClusterThreshold, err = strconv.Atoi(strings.TrimSpace(v[0])); err != nil {
			q.ClusterThreshold = -1 // refused by Validate, with the allowed range
		}
	}
	q.RequireViewForReport = f.Get("require_view_for_report") == "on"
	err = q.Validate()
	if err == nil {
		ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionQueueUpdated, Target: "queue:" + q.Name,
			Details: map[string]string{"required_reviews": strconv.Itoa(q.RequiredReviews), "paused": strconv.FormatBool(q.Paused), "steps": strings.Join(q.Policy.Steps, ","),
				"spotlight_max_percent": strconv.Itoa(q.Policy.SpotlightPercent()),
				"cluster_threshold":     strconv.Itoa(q.ClusterThreshold), "require_view_for_report": strconv.FormatBool(q.RequireViewForReport)}}
		err = s.store.UpdateQueue(r.Context(), q, ev)
	}
	if code, msg := status(err); err != nil && code < 500 {
		return s.renderQueuePage(w, r, code, msg, "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(q.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// assignMember adds a person with the reviewer role, picked from the
// list, to a queue.
func (s *Server) assignMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	u, err := s.store.FindUserByID(r.Context(), uid)
	if errors.Is(err, review.ErrNotFound) || (err == nil && (!u.Roles.Has(review.RoleReviewer) || u.Disabled)) {
		return s.renderQueuePage(w, r, http.StatusBadRequest, "Pick a reviewer from the list.", "")
	}
	if err != nil {
		return err
	}
	return s.setMember(w, r, id, u, true)
}

// candidates are the enabled people with the reviewer role who are not
// members yet.
func (s *Server) candidates(r *http.Request, members []review.User) ([]review.User, error) {
	us, err := s.store.FindUsers(r.Context())
	var out []review.User
	for _, u := range us {
		if u.Roles.Has(review.RoleReviewer) && !u.Disabled && !slices.ContainsFunc(members, func(m review.User) bool { return m.ID == u.ID }) {
			out = append(out, u)
		}
	}
	return out, err
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	uid, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil {
		return review.ErrNotFound
	}
	u, err := s.store.FindUserByID(r.Context(), uid)
	if err != nil {
		return err
	}
	return s.setMember(w, r, id, u, false)
}

func (s *Server) setMember(w http.ResponseWriter, r *http.Request, queueID int64, u review.User, member bool) error {
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionQueueMember, Target: "queue:" + strconv.FormatInt(queueID, 10),
		Details: map[string]string{"user": u.Email, "member": strconv.FormatBool(member)}}
	if err := s.store.SetMember(r.Context(), queueID, u.ID, member, ev); err != nil {
		return err
	}
	done := map[bool]string{true: "assigned", false: "removed"}[member]
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(queueID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// claim leases the next item and opens it, blurred.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.claimNext(w, r, id)
}

func (s *Server) claimNext(w http.ResponseWriter, r *http.Request, queueID int64) error {
	itemID, err := s.reviews.Claim(r.Context(), current(r).user, queueID)
	if errors.Is(err, review.ErrNotFound) {
		http.Redirect(w, r, "/queues/"+strconv.FormatInt(queueID, 10)+"?done=empty", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/review/"+strconv.FormatInt(itemID, 10), http.StatusSeeOther)
	return nil
}
