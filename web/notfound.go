package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/loupe-review/loupe/review"
)

var errNoPage = fmt.Errorf("there is no page at this address: %w", review.ErrNotFound)

// notFound answers an address no route has with the usual error page,
// keeping the menu of a signed-in person.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadVisitor(r)
	if err != nil {
		return err
	}
	if v.user.ID != 0 {
		w.Header().Set("Cache-Control", "no-store") // the menu carries the session's form token
	}
	s.fail(w, r.WithContext(context.WithValue(r.Context(), visitorKey{}, v)), errNoPage)
	return nil
}
