package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

const (
	cookieName = "loupe_session"
	cookieKey  = "id"
)

// loadVisitor finds the session named by the cookie and its person. A
// missing, expired or revoked session, or a disabled person, is a visitor
// with no user.
func (s *Server) loadVisitor(r *http.Request) (visitor, error) {
	id := s.cookieSessionID(r)
	if id == "" {
		return visitor{}, nil
	}
	idHash := secret.Digest(id)
	sess, u, err := s.store.FindSession(r.Context(), idHash)
	if errors.Is(err, review.ErrNotFound) {
		return visitor{}, nil
	}
	if err != nil {
		return visitor{}, err
	}
	now := s.now()
	if sess.Expired(now) {
		return visitor{}, s.store.EndSession(r.Context(), idHash, nil)
	}
	if u.Disabled {
		return visitor{}, nil
	}
	if sess.NeedsTouch(now) {
		if err := s.store.TouchSession(r.Context(), idHash, now); err != nil {
			return visitor{}, err
		}
	}
	return visitor{session: sess, user: u, idHash: idHash}, nil
}

func (s *Server) cookieSessionID(r *http.Request) string {
	cs, err := s.cookies.Get(r, cookieName)
	if err != nil {
		return "" // a cookie we cannot read is no session
	}
	id, _ := cs.Values[cookieKey].(string)
	return id
}

// startSession gives the browser a new session id at stage, replacing the
// current one: the id rotates at every sign-in step.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, replaces string, u review.User, stage review.SessionStage, ev *review.AuditEvent) error {
	id, err := secret.Token(s.random, 32)
	if err != nil {
		return err
	}
	csrf, err := secret.Token(s.random, 32)
	if err != nil {
		return err
	}
	now := s.now()
	sess := review.Session{
		IDHash: secret.Digest(id), UserID: u.ID, Stage: stage, CSRFToken: csrf,
		CreatedAt: now, LastSeenAt: now, IP: clientIP(r),
	}
	if err := s.store.StartSession(r.Context(), replaces, sess, ev); err != nil {
		return err
	}
	return s.writeCookie(w, r, id)
}

func (s *Server) writeCookie(w http.ResponseWriter, r *http.Request, id string) error {
	cs, _ := s.cookies.New(r, cookieName)
	cs.Values[cookieKey] = id
	if id == "" {
		cs.Options.MaxAge = -1
	}
	if err := cs.Save(r, w); err != nil {
		return fmt.Errorf("web: save session cookie: %w", err)
	}
	return nil
}
