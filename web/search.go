package web

import (
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// search finds items by id, external id, uploader account or screen name,
// SHA-256, MD5 or PDQ hash; leads and admins only. Results show the
// server-blurred previews, never originals.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	text := r.URL.Query().Get("q")
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p := components.SearchProps{Page: s.page(r, "Search"), Query: text, Threshold: review.SearchPDQThreshold}
	code := http.StatusOK
	if text != "" {
		q, err := review.ParseSearch(text, page)
		if err != nil {
			code, p.Error = status(err)
		} else if p.Results, err = s.store.SearchItems(r.Context(), q); err != nil {
			return err
		}
		p.PageNo, p.Searched = q.Page, err == nil
	}
	s.render(w, r, code, components.Search(p))
	return nil
}
