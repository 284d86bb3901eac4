package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// errNotHeld is the one answer of every /review/{id} route about an item
// the visitor does not hold: one that does not exist, one in a queue they
// are not in, one waiting or held by a colleague, or theirs until the lease
// ended. The same 404 for all, so walking ids tells nothing about queues.
var errNotHeld = fmt.Errorf("this item is not yours to review: it does not exist, someone else has it, or your hold on it ended and it went back to its queue: %w", review.ErrNotFound)

// heldItem returns the item in the path if the visitor holds its lease,
// errNotHeld otherwise.
func (s *Server) heldItem(r *http.Request) (review.Item, error) {
	it, err := s.pathItem(r)
	if errors.Is(err, review.ErrNotFound) || (err == nil && !it.HeldBy(current(r).user.ID, s.now())) {
		return review.Item{}, errNotHeld
	}
	return it, err
}

// notHeld turns a lease that ended after heldItem checked into errNotHeld.
func notHeld(err error) error {
	if errors.Is(err, review.ErrLeaseLost) {
		return errNotHeld
	}
	return err
}

// reviewScreen shows a held item: blurred previews only, until the
// reviewer asks for a reveal.
func (s *Server) reviewScreen(w http.ResponseWriter, r *http.Request) error {
	it, err := s.heldItem(r)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, it, review.Decision{}, nil)
}

// renderReview shows the review screen; choice and problems keep what the
// reviewer chose when a submit was refused.
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, code int, it review.Item, choice review.Decision, problems map[string]string) error {
	ctx := r.Context()
	v := current(r)
	q, err := s.store.FindQueue(ctx, it.QueueID)
	if err != nil {
		return err
	}
	p := components.ReviewProps{CSRF: v.session.CSRFToken, Item: it, Queue: q,
		SecondReview: it.Status == review.StatusSecondReview, Choice: choice, Problems: problems}
	if p.Categories, err = s.categoryDefs(ctx, q); err != nil {
		return err
	}
	if p.History, err = s.store.UploaderHistory(ctx, it); err != nil {
		return err
	}
	if p.Matches, err = s.store.FindMatches(ctx, it.ID); err != nil {
		return err
	}
	now := s.now()
	if it.Cluster.ID != 0 { // an item alone is its only member
		members, err := s.store.FindClusterMembers(ctx, it.ID, v.user.ID, now)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.ID != it.ID && m.Status == it.Status {
				p.Members = append(p.Members, m)
			}
		}
	}
	if p.Done, err = s.store.CountDecisionsSince(ctx, v.user.ID, v.session.CreatedAt); err != nil {
		return err
	}
	if p.Left, err = s.store.CountWaiting(ctx, q.ID, now, components.WaitingShown); err != nil {
		return err
	}
	p.Undo, err = s.store.FindUndoable(ctx, v.user.ID, now)
	if err != nil && !errors.Is(err, review.ErrNotFound) {
		return err
	}
	p.UndoSeconds = p.Undo.SecondsLeft(now)
	if p.Context, err = s.escalationContext(ctx, it, v.user); err != nil {
		return err
	}
	p.Page = s.page(r, "Review")
	p.Page.ReviewJS = s.assets.URL("js/review.js")
	p.Page.Notices = s.notices(r, q.ID)
	s.render(w, r, code, components.Review(p))
	return nil
}

// renewLease keeps the item, or its QA sample, while the page is open
// (called by the page).
func (s *Server) renewLease(w http.ResponseWriter, r *http.Request) error {
	it, err := s.viewedItem(r)
	if err != nil {
		return err
	}
	now := s.now()
	if it.HeldBy(current(r).user.ID, now) {
		err = s.store.RenewLease(r.Context(), it.ID, current(r).user.ID, now, now.Add(review.DefaultLease))
	} else {
		err = s.quality.Renew(r.Context(), current(r).user, it.ID)
	}
	if err != nil {
		return notHeld(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// release gives the item back to its queue: step away, or the page closed.
func (s *Server) release(w http.ResponseWriter, r *http.Request) error {
	it, err := s.heldItem(r)
	if err != nil {
		return err
	}
	if err := s.reviews.Release(r.Context(), current(r).user, it.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(it.QueueID, 10), http.StatusSeeOther)
	return nil
}

// decide records the verdict and opens the next item of the queue, blurred.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) error {
	it, err := s.heldItem(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	d := review.Decision{
		Verdict: review.Verdict(r.PostForm.Get("verdict")), Category: r.PostForm.Get("category"),
		Annotations: r.PostForm["annotations"], Note: strings.TrimSpace(r.PostForm.Get("note")),
	}
	if d.Verdict != review.Violating {
		d.Category, d.Annotations = "", nil
	}
	_, _, err = s.reviews.DecideItem(r.Context(), current(r).user, it, d)
	var v *review.ValidationError
	if errors.As(err, &v) {
		// The page sends the form with fetch and puts this form, choices
		// and messages by their fields, in place: the address stays.
		d.Verdict, d.Category, d.Annotations = review.Verdict(r.PostForm.Get("verdict")), r.PostForm.Get("category"), r.PostForm["annotations"]
		return s.renderReview(w, r, http.StatusBadRequest, it, d, v.Problems)
	}
	if err != nil {
		return notHeld(err)
	}
	return s.claimNext(w, r, it.QueueID)
}

// undo takes back the visitor's last decision within its window and
// reopens that item for them.
func (s *Server) undo(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	itemID, err := s.reviews.Undo(r.Context(), current(r).user, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/review/"+strconv.FormatInt(itemID, 10), http.StatusSeeOther)
	return nil
}

// split takes one copy (form field member) out of the cluster on the
// screen before the decision; it goes back to the queue on its own.
func (s *Server) split(w http.ResponseWriter, r *http.Request) error {
	it, err := s.heldItem(r)
	if err != nil {
		return err
	}
	member, err := strconv.ParseInt(r.PostFormValue("member"), 10, 64)
	if err != nil || member == it.ID {
		return review.Invalid("member", "choose a copy from the strip to take out")
	}
	if err := s.reviews.Split(r.Context(), s.store, current(r).user, member); err != nil {
		return notHeld(err)
	}
	http.Redirect(w, r, "/review/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}
