package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/static"
)

// Store is everything the web layer needs from storage.
type Store interface {
	review.UserStore
	review.SessionStore
	review.Throttle
	review.AuditLog
	Ping(ctx context.Context) error
}

// Config holds the web layer's settings.
type Config struct {
	// SecureCookies marks cookies Secure; set when serving TLS or behind a TLS proxy.
	SecureCookies bool
	// CookieKeys are the gorilla/securecookie hash key (32 or 64 bytes) and
	// block key (32 bytes) that authenticate and encrypt the session cookie.
	CookieKeys [2][]byte
}

// Server serves Loupe's pages.
type Server struct {
	cfg      Config
	store    Store
	accounts *review.Accounts
	cookies  *sessions.CookieStore
	assets   *static.Assets
	log      *slog.Logger
	now      func() time.Time
	random   io.Reader
	handler  http.Handler
	patterns []string // every registered route, for the authorization test
}

// New builds a server. now and random are injected so tests control time
// (TOTP, lockouts, session expiry) and secrets.
func New(cfg Config, store Store, log *slog.Logger, now func() time.Time, random io.Reader) *Server {
	s := &Server{
		cfg:    cfg,
		store:  store,
		assets: static.New(),
		log:    log,
		now:    now,
		random: random,
		accounts: &review.Accounts{
			Users: store, Audit: store, Throttle: store,
			Policy: review.DefaultSignInPolicy, Now: now, Random: random,
		},
	}
	s.cookies = sessions.NewCookieStore(cfg.CookieKeys[0], cfg.CookieKeys[1])
	s.cookies.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(review.SessionAbsolute / time.Second),
		HttpOnly: true,
		Secure:   cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}
	s.handler = s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Accounts exposes the account service for commands that share the server's wiring.
func (s *Server) Accounts() *review.Accounts { return s.accounts }
