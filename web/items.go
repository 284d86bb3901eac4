package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// itemPage shows a lead an item's decisions and the override form.
func (s *Server) itemPage(w http.ResponseWriter, r *http.Request) error {
	notice := map[string]string{"overridden": "Decision overridden; the platform is told again."}[r.URL.Query().Get("done")]
	return s.renderItemPage(w, r, http.StatusOK, "", notice)
}

func (s *Server) renderItemPage(w http.ResponseWriter, r *http.Request, code int, problem, notice string) error {
	it, err := s.pathItem(r)
	if err != nil {
		return err
	}
	q, err := s.store.FindQueue(r.Context(), it.QueueID)
	if err != nil {
		return err
	}
	c, err := s.decisionContext(r.Context(), it, current(r).user)
	if err != nil {
		return err
	}
	if c.Matches, err = s.store.FindMatches(r.Context(), it.ID); err != nil {
		return err
	}
	ds := c.Decisions
	c.Decisions = nil // the page has its own table of them
	s.render(w, r, code, components.ItemPage(components.ItemPageProps{
		Page: s.page(r, "Item "+strconv.FormatInt(it.ID, 10)), CSRF: current(r).session.CSRFToken, Item: it, Queue: q, Decisions: ds, Context: c, Error: problem, Notice: notice,
	}))
	return nil
}

// override replaces a final decision with a lead's, with a written reason.
func (s *Server) override(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d := review.Decision{Kind: review.KindOverride, Verdict: review.Verdict(r.PostFormValue("verdict")),
		Category: r.PostFormValue("category"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if d.Verdict != review.Violating {
		d.Category = ""
	}
	_, _, err = s.reviews.Decide(r.Context(), current(r).user, id, d)
	var v *review.ValidationError
	if errors.As(err, &v) {
		return s.renderItemPage(w, r, http.StatusBadRequest, v.Message(), "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/items/"+strconv.FormatInt(id, 10)+"?done=overridden", http.StatusSeeOther)
	return nil
}
