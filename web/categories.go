package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// categoryDefs are queue q's category codes with what each means, for
// the review screen to show beside the codes.
func (s *Server) categoryDefs(ctx context.Context, q review.Queue) ([]review.CategoryDef, error) {
	stored, err := s.store.FindCategoryDefs(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	return review.CategoryDefs(q, stored), nil
}

// categoriesPage shows a queue's category definitions for a lead to edit.
func (s *Server) categoriesPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	defs, err := s.categoryDefs(r.Context(), q)
	if err != nil {
		return err
	}
	notice := ""
	if r.URL.Query().Get("done") == "saved" {
		notice = "Definitions saved."
	}
	s.render(w, r, http.StatusOK, components.Categories(components.CategoriesProps{
		Page: s.page(r, "Categories of "+q.Name), CSRF: current(r).session.CSRFToken, Queue: q, Defs: defs, Notice: notice,
	}))
	return nil
}

// saveCategories stores a queue's definitions.
func (s *Server) saveCategories(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	defs, err := review.ParseCategoryDefs(q, r.PostFormValue)
	if v, ok := err.(*review.ValidationError); ok {
		shown := review.CategoryDefs(q, nil)
		for i := range shown {
			shown[i].Definition = r.PostFormValue("def_" + shown[i].Code)
		}
		s.render(w, r, http.StatusBadRequest, components.Categories(components.CategoriesProps{
			Page: s.page(r, "Categories of "+q.Name), CSRF: current(r).session.CSRFToken, Queue: q, Defs: shown, Error: v.Message(),
		}))
		return nil
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionCategoriesSaved, Target: "queue:" + q.Name,
		Details: map[string]string{"defined": strconv.Itoa(len(defs))}}
	if err := s.store.SetCategoryDefs(r.Context(), q.ID, defs, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/queues/"+strconv.FormatInt(q.ID, 10)+"/categories?done=saved", http.StatusSeeOther)
	return nil
}
