package web

import (
	"bytes"
	"context"
	"net/http"

	"github.com/a-h/templ"
	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// render writes c with status code. It renders into a buffer first, so a
// template error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, c templ.Component) {
	var buf bytes.Buffer
	// Not r's context: it ends when the body cannot be read (a slow body
	// cut off), and that answer still needs rendering.
	if err := c.Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		s.log.Error("render failed", "path", r.URL.Path, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = buf.WriteTo(w)
}

// page returns the frame props for the current visitor.
func (s *Server) page(r *http.Request, title string) components.Page {
	p := components.Page{Title: title, CSS: s.assets.URL("css/loupe.css"), JS: s.assets.URL("js/loupe.js"), Icon: s.assets.URL("img/favicon.png")}
	v := current(r)
	if v.user.ID != 0 && v.session.Stage == "full" {
		p.Nav = components.Nav{Email: v.user.Email, Links: components.NavFor(v.user.Roles), Current: section(r.URL.Path), CSRF: v.session.CSRFToken,
			StepAway: v.user.Roles.Any(review.RoleReviewer, review.RoleLead), Search: v.user.Roles.Any(review.RoleLead, review.RoleAdmin)}
	} else {
		p.Narrow = true
	}
	return p
}

// section is the nav entry a path belongs to: its first two segments.
func section(path string) string {
	for i, n := 1, 0; i < len(path); i++ {
		if path[i] == '/' {
			if n++; n == 2 {
				return path[:i]
			}
		}
	}
	return path
}
