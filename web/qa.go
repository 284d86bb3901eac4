package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// The blind second look: a reviewer claims a sampled item of a queue they
// work, sees it blurred, reveals through the review screen's routes (see
// viewedItem) and decides without seeing the first decision.

// qaClaim leases the visitor the next quality check of a queue.
func (s *Server) qaClaim(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	return s.qaNext(w, r, q.ID)
}

// qaNext opens the visitor's next quality check of a queue, or the
// queue's page when none is left for them.
func (s *Server) qaNext(w http.ResponseWriter, r *http.Request, queueID int64) error {
	id, err := s.quality.Claim(r.Context(), current(r).user, queueID)
	if errors.Is(err, review.ErrNotFound) {
		http.Redirect(w, r, "/queues/"+strconv.FormatInt(queueID, 10)+"?done=qa-empty", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/qa/samples/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// heldSample is the sample in the path if the visitor holds it.
func (s *Server) heldSample(r *http.Request) (review.Sample, error) {
	id, err := pathID(r)
	if err != nil {
		return review.Sample{}, err
	}
	return s.quality.Held(r.Context(), current(r).user, id)
}

// qaScreen shows a held sample's item, blurred, with the verdict form.
func (s *Server) qaScreen(w http.ResponseWriter, r *http.Request) error {
	sm, err := s.heldSample(r)
	if err != nil {
		return err
	}
	return s.renderQAScreen(w, r, http.StatusOK, sm, review.Label{}, "", nil)
}

func (s *Server) renderQAScreen(w http.ResponseWriter, r *http.Request, code int, sm review.Sample, choice review.Label, note string, problems map[string]string) error {
	ctx := r.Context()
	it, err := s.store.FindItemByID(ctx, sm.ItemID)
	if err != nil {
		return err
	}
	q, err := s.store.FindQueue(ctx, sm.QueueID)
	if err != nil {
		return err
	}
	p := components.QAScreenProps{CSRF: current(r).session.CSRFToken, SampleID: sm.ID, Item: it, Queue: q, Choice: choice, Note: note, Problems: problems}
	if p.Categories, err = s.categoryDefs(ctx, q); err != nil {
		return err
	}
	p.Page = s.page(r, "Quality check")
	p.Page.ReviewJS = s.assets.URL("js/review.js")
	p.Page.Notices = s.notices(r, q.ID)
	s.render(w, r, code, components.QAScreen(p))
	return nil
}

// qaDecide records the visitor's blind verdict and opens their next check.
func (s *Server) qaDecide(w http.ResponseWriter, r *http.Request) error {
	sm, err := s.heldSample(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	l := review.LabelOf(review.Verdict(r.PostForm.Get("verdict")), r.PostForm.Get("category"))
	note := strings.TrimSpace(r.PostForm.Get("note"))
	_, err = s.quality.Judge(r.Context(), current(r).user, sm.ID, l, note)
	var v *review.ValidationError
	if errors.As(err, &v) {
		return s.renderQAScreen(w, r, http.StatusBadRequest, sm, l, note, v.Problems)
	}
	if err != nil {
		return notHeld(err)
	}
	return s.qaNext(w, r, sm.QueueID)
}

// qaRelease hands the sample back and returns home.
func (s *Server) qaRelease(w http.ResponseWriter, r *http.Request) error {
	sm, err := s.heldSample(r)
	if err != nil {
		return err
	}
	if err := s.quality.Release(r.Context(), current(r).user, sm.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// viewedItem is the item in the path if the visitor may look at it: they
// hold its lease, or the lease on its open QA sample (errNotHeld
// otherwise). Reveals and previews use it; decisions need the lease.
func (s *Server) viewedItem(r *http.Request) (review.Item, error) {
	it, err := s.pathItem(r)
	if errors.Is(err, review.ErrNotFound) {
		return review.Item{}, errNotHeld
	}
	if err != nil {
		return it, err
	}
	if it.HeldBy(current(r).user.ID, s.now()) {
		return it, nil
	}
	held, err := s.store.HoldsItem(r.Context(), it.ID, current(r).user.ID, s.now()) // a QA sample of it
	if err == nil && !held {
		err = errNotHeld
	}
	return it, err
}

// qaHomeQueues are the queues with quality checks the visitor may take.
func (s *Server) qaHomeQueues(r *http.Request, queues []components.HomeQueue) ([]components.QAQueue, error) {
	var out []components.QAQueue
	for _, q := range queues {
		n, err := s.store.CountClaimableSamples(r.Context(), q.ID, current(r).user.ID, s.now(), components.WaitingShown)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, components.QAQueue{ID: q.ID, Name: q.Name, Waiting: n})
		}
	}
	return out, nil
}
