package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/csvsafe"
)

// qaPeriod is how far back the QA page and its export look.
const qaPeriod = 90 * 24 * time.Hour

var qaNotices = map[string]string{"resolved": "Final verdict recorded."}

// qaPage shows leads the agreement figures, QA's alerts and the
// disagreements waiting for them.
func (s *Server) qaPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	samples, err := s.store.FindSamples(ctx, review.SampleFilter{Since: s.now().Add(-qaPeriod)})
	if err != nil {
		return err
	}
	p := components.QAPageProps{Page: s.page(r, "Quality checks"), CSRF: current(r).session.CSRFToken, Report: review.Report(samples),
		Notice: qaNotices[r.URL.Query().Get("done")]}
	if p.Alerts, err = s.store.FindQualityAlerts(ctx, 20); err != nil {
		return err
	}
	disputed, err := s.store.FindSamples(ctx, review.SampleFilter{Status: review.SampleDisputed, Limit: 100})
	if err != nil {
		return err
	}
	queues := map[int64]review.Queue{}
	cats := map[int64][]review.CategoryDef{}
	for _, sm := range disputed {
		if _, ok := queues[sm.QueueID]; !ok {
			if queues[sm.QueueID], err = s.store.FindQueue(ctx, sm.QueueID); err != nil {
				return err
			}
			if cats[sm.QueueID], err = s.categoryDefs(ctx, queues[sm.QueueID]); err != nil {
				return err
			}
		}
		p.Disputed = append(p.Disputed, components.QADispute{Sample: sm, Queue: queues[sm.QueueID].Name, Categories: cats[sm.QueueID]})
	}
	s.render(w, r, http.StatusOK, components.QAPage(p))
	return nil
}

// qaResolve records a lead's final verdict on a disagreement.
func (s *Server) qaResolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	l := review.LabelOf(review.Verdict(r.PostForm.Get("verdict")), r.PostForm.Get("category"))
	if _, err := s.quality.Resolve(r.Context(), current(r).user, id, l, strings.TrimSpace(r.PostForm.Get("note"))); err != nil {
		return err
	}
	http.Redirect(w, r, "/qa?done=resolved", http.StatusSeeOther)
	return nil
}

// qaExport writes the checked samples of the period as CSV, through the
// CSV guard (notes are text people typed).
func (s *Server) qaExport(w http.ResponseWriter, r *http.Request) error {
	samples, err := s.store.FindSamples(r.Context(), review.SampleFilter{Since: s.now().Add(-qaPeriod)})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="quality-checks.csv"`)
	out := csvsafe.NewWriter(w)
	out.Write([]string{"sample", "queue_id", "item_id", "decision_id", "kind", "decided_by", "original", "checked_by", "second_look", "agree", "status", "lead_verdict", "qa_note", "sampled_at", "checked_at"})
	for _, sm := range samples {
		if sm.QAReviewerID == 0 {
			continue
		}
		final := ""
		if sm.Status == review.SampleResolved {
			final = sm.Final.String()
		}
		out.Write([]string{strconv.FormatInt(sm.ID, 10), strconv.FormatInt(sm.QueueID, 10), strconv.FormatInt(sm.ItemID, 10), strconv.FormatInt(sm.DecisionID, 10),
			sm.Source, sm.DecidedByEmail, sm.Original.String(), sm.QAReviewer, sm.QA.String(), strconv.FormatBool(sm.Agrees()), string(sm.Status), final, sm.QANote,
			sm.SampledAt.UTC().Format(time.RFC3339), sm.QAAt.UTC().Format(time.RFC3339)})
	}
	return out.Flush()
}

// saveQAPercent sets the share of a queue's final decisions checked.
func (s *Server) saveQAPercent(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	percent, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("qa_percent")))
	if err != nil {
		return review.Invalid("qa_percent", "must be a whole number between 0 and 100")
	}
	if err := s.quality.SetPercent(r.Context(), current(r).user, q.ID, percent); err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(q.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}
