package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// heldItem returns the item in the path if the visitor holds its lease.
func (s *Server) heldItem(r *http.Request) (review.Item, error) {
	it, err := s.pathItem(r)
	if err != nil {
		return review.Item{}, err
	}
	if !it.HeldBy(current(r).user.ID, s.now()) {
		return it, review.ErrLeaseLost
	}
	return it, nil
}

// reviewScreen shows a held item: blurred previews only, until the
// reviewer asks for a reveal.
func (s *Server) reviewScreen(w http.ResponseWriter, r *http.Request) error {
	it, err := s.heldItem(r)
	if errors.Is(err, review.ErrLeaseLost) {
		http.Redirect(w, r, "/queues/"+strconv.FormatInt(it.QueueID, 10), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, it, "")
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, code int, it review.Item, problem string) error {
	q, err := s.store.FindQueue(r.Context(), it.QueueID)
	if err != nil {
		return err
	}
	history, err := s.store.UploaderHistory(r.Context(), it)
	if err != nil {
		return err
	}
	matches, err := s.store.FindMatches(r.Context(), it.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "Review")
	page.ReviewJS = s.assets.URL("js/review.js")
	page.Notices = s.notices(r, q.ID)
	s.render(w, r, code, components.Review(components.ReviewProps{
		Page: page, CSRF: current(r).session.CSRFToken, Item: it, Queue: q, History: history,
		SecondReview: it.Status == review.StatusSecondReview, Matches: matches, Error: problem,
	}))
	return nil
}

// renewLease keeps the item while the page is open (called by the page).
func (s *Server) renewLease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.store.RenewLease(r.Context(), id, current(r).user.ID, now, now.Add(review.DefaultLease)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// release gives the item back to its queue: step away, or the page closed.
func (s *Server) release(w http.ResponseWriter, r *http.Request) error {
	it, err := s.pathItem(r)
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
	_, _, err = s.reviews.Decide(r.Context(), current(r).user, it.ID, d)
	var v *review.ValidationError
	if errors.As(err, &v) {
		return s.renderReview(w, r, http.StatusBadRequest, it, v.Message())
	}
	if err != nil {
		return err
	}
	return s.claimNext(w, r, it.QueueID)
}
