package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

type tokenKey struct{}

// apiCaller returns the token an API request was authorised with.
func apiCaller(r *http.Request) review.APIToken {
	t, _ := r.Context().Value(tokenKey{}).(review.APIToken)
	return t
}

var errBadToken = fmt.Errorf("missing, unknown or revoked API token; send Authorization: Bearer <token>: %w", review.ErrUnauthorized)

// authorizeAPI checks the bearer token and its scope. API requests carry no
// cookies, so they need no CSRF token.
func (s *Server) authorizeAPI(w http.ResponseWriter, r *http.Request, scope string, h handlerFunc) error {
	w.Header().Set("Cache-Control", "no-store")
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return errBadToken
	}
	t, err := s.store.FindTokenByDigest(r.Context(), secret.Digest(strings.TrimSpace(raw)))
	if errors.Is(err, review.ErrNotFound) || (err == nil && t.Revoked()) {
		return errBadToken
	}
	if err != nil {
		return err
	}
	// A scope may name a path value: "hashlist:{id}" is the list in the path.
	if t.Scope != strings.ReplaceAll(scope, "{id}", r.PathValue("id")) {
		if id, ok := strings.CutPrefix(t.Scope, review.ScopeHashlist); ok {
			return fmt.Errorf("this token may export only /api/v1/hashlists/%s/export: %w", id, review.ErrForbidden)
		}
		return fmt.Errorf("this token may not use this endpoint: %w", review.ErrForbidden)
	}
	if now := s.now(); now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.store.TouchToken(r.Context(), t.ID, now); err != nil {
			return err
		}
	}
	return h(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, t)))
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// failJSON answers an API request whose handler returned err.
func (s *Server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := problem(w, err)
	body := apiError{Error: msg}
	var v *review.ValidationError
	if errors.As(err, &v) {
		body.Field = v.Field()
	}
	if code == http.StatusInternalServerError {
		s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="loupe"`)
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
