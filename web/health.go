package web

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// healthz answers while the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz answers 200 only when the database and the media storage (the
// directory, or the bucket) answer.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	failed := ""
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("readiness check failed", "err", err)
		failed = "database unavailable\n"
	} else if err := s.media.check(r.Context()); err != nil {
		s.log.Error("readiness check failed", "err", err)
		failed = "media storage unavailable\n"
	}
	if failed != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(failed))
		return nil
	}
	_, err := w.Write([]byte("ready\n"))
	return err
}

// How long a media check may take, and how long its answer is reused: a
// load balancer asks every few seconds per instance, and a HEAD request
// to a bucket on each ask would cost more than it tells.
const (
	mediaCheckTimeout = 2 * time.Second
	mediaCheckTTL     = 5 * time.Second
)

// mediaCheck remembers whether the media storage answered, for
// mediaCheckTTL.
type mediaCheck struct {
	ping func(context.Context) error // nil: no media storage to check
	now  func() time.Time

	mu  sync.Mutex // held during a check, so concurrent asks wait for one
	at  time.Time
	err error
}

func (m *mediaCheck) check(ctx context.Context) error {
	if m.ping == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if now := m.now(); !m.at.IsZero() && now.Sub(m.at) < mediaCheckTTL && !now.Before(m.at) {
		return m.err
	}
	// Not the request's context: a client hanging up must not be cached
	// as the storage failing.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mediaCheckTimeout)
	defer cancel()
	m.err, m.at = m.ping(ctx), m.now()
	return m.err
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
