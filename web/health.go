package web

import (
	"net/http"
)

// healthz answers while the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz answers 200 only when the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return nil
	}
	_, err := w.Write([]byte("ready\n"))
	return err
}

// staticFile serves embedded CSS and JavaScript.
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	s.assets.ServeHTTP(w, r)
	return nil
}

// favicon answers the /favicon.ico every browser asks for with the icon
// the pages also link to.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err := w.Write(s.assets.File("img/favicon.png"))
	return err
}
