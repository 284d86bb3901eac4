package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// waitingFilter reads the waiting table's filter, sort and page from the
// address; bad values get a 400 with the problem.
func (s *Server) waitingFilter(q url.Values, queueID int64) (review.WaitingFilter, error) {
	f := review.WaitingFilter{QueueID: queueID, Status: q.Get("status"), Sort: q.Get("sort"), Reverse: q.Get("rev") == "1",
		Matched: q.Get("matched") == "1", Now: s.now()}
	f.SourceID, _ = strconv.ParseInt(q.Get("source"), 10, 64)
	f.Page, _ = strconv.Atoi(q.Get("page"))
	return f, f.Validate()
}

// waitingTable is everything a lead's waiting table shows.
func (s *Server) waitingTable(r *http.Request, q review.Queue) (components.WaitingProps, error) {
	f, err := s.waitingFilter(r.URL.Query(), q.ID)
	if err != nil {
		return components.WaitingProps{}, err
	}
	p := components.WaitingProps{QueueID: q.ID, CSRF: current(r).session.CSRFToken, Filter: f}
	if p.Page, err = s.store.FindWaitingPage(r.Context(), f); err != nil {
		return p, err
	}
	if p.Sources, err = s.store.FindSources(r.Context()); err != nil {
		return p, err
	}
	refs, err := s.store.FindQueueRefs(r.Context())
	for _, ref := range refs {
		if ref.ID != q.ID {
			p.Queues = append(p.Queues, ref)
		}
	}
	return p, err
}

// bulkItems applies a lead's bulk action to the selected rows.
func (s *Server) bulkItems(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	b := review.BulkChange{Action: r.PostForm.Get("action"), QueueID: q.ID, Actor: current(r).user.Email, Now: s.now()}
	for _, v := range r.PostForm["items"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return review.Invalid("items", "item ids are whole numbers")
		}
		b.ItemIDs = append(b.ItemIDs, id)
	}
	b.ToQueue, _ = strconv.ParseInt(r.PostForm.Get("to_queue"), 10, 64)
	if b.Priority, err = strconv.Atoi(r.PostForm.Get("priority")); err != nil && b.Action == review.BulkPriority {
		b.Priority = -1 // refused by Validate with the allowed range
	}
	if err := b.Validate(); err != nil {
		_, msg := status(err)
		return s.renderQueuePage(w, r, http.StatusBadRequest, msg, "")
	}
	if b.Action == review.BulkMove {
		if _, err := s.store.FindQueue(r.Context(), b.ToQueue); err != nil {
			return err
		}
	}
	n, err := s.store.ApplyBulk(r.Context(), b)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/queues/%d?done=%s&n=%d", q.ID, b.Action, n), http.StatusSeeOther)
	return nil
}

// bulkNotice says what a bulk action did.
func bulkNotice(q url.Values) string {
	n := strconv.Itoa(max(0, atoiOr(q.Get("n"), 0)))
	switch q.Get("done") {
	case review.BulkMove:
		return "Moved " + n + " item(s). Items someone holds stay; release them first."
	case review.BulkPriority:
		return "Set the priority of " + n + " item(s)."
	case review.BulkRelease:
		return "Released " + n + " held item(s) back to waiting."
	}
	return ""
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}
