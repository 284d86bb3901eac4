package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"

	"github.com/loupe-review/loupe/review"
)

// handlerFunc is a handler that returns its error; guard turns errors into
// responses in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// visitor is who is making the request, once guard has checked.
type visitor struct {
	session review.Session
	user    review.User
	idHash  string
}

type visitorKey struct{}

// current returns the request's visitor; the zero value when signed out.
func current(r *http.Request) visitor {
	v, _ := r.Context().Value(visitorKey{}).(visitor)
	return v
}

// guard enforces routeAccess for pattern before h runs: it caps the body
// (limitTransfer) before anything reads it, loads the session, checks its
// stage and the person's roles, reads the form and checks the CSRF token
// on state-changing requests, and marks signed-in responses no-store.
func (s *Server) guard(pattern string, h handlerFunc) http.Handler {
	a, known := routeAccess[pattern]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := s.transferOf(pattern)
		var who visitor
		w, err := s.limitTransfer(w, r, t)
		if err == nil {
			err = s.authorize(w, r, a, known, t, h, &who)
		}
		switch {
		case err != nil && a.apiScope != "":
			s.failJSON(w, r, err)
		case err != nil:
			// The error page keeps the menu of the person who met it.
			s.fail(w, r.WithContext(context.WithValue(r.Context(), visitorKey{}, who)), err)
		}
	})
}

var (
	errNoAccessEntry = fmt.Errorf("route has no authorization entry: %w", review.ErrForbidden)
	errWrongRole     = fmt.Errorf("your roles do not include this page: %w", review.ErrForbidden)
	errBadCSRF       = fmt.Errorf("the form has expired or did not come from Loupe; reload the page and try again: %w", review.ErrForbidden)
	// errSignInNeeded and errSecondFactorNeeded redirect browsers to the right step.
	errSignInNeeded       = errors.New("sign-in needed")
	errSecondFactorNeeded = errors.New("second factor needed")
)

// authorize runs h if the request may reach it; who is filled in with the
// visitor once known.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, a access, known bool, t transfer, h handlerFunc, who *visitor) error {
	if !known {
		return errNoAccessEntry
	}
	if a.public {
		if !safeMethod(r.Method) {
			if err := readForm(r, t); err != nil {
				return err
			}
		}
		return h(w, r)
	}
	if a.apiScope != "" {
		return s.authorizeAPI(w, r, a.apiScope, h)
	}
	w.Header().Set("Cache-Control", "no-store")
	v, err := s.loadVisitor(r)
	if err != nil {
		return err
	}
	*who = v
	switch {
	case v.user.ID == 0:
		return errSignInNeeded
	case a.secondFactor && v.session.Stage != review.StagePassword:
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	case a.roles != nil && v.session.Stage != review.StageFull:
		return errSecondFactorNeeded
	case a.roles != nil && !v.user.Roles.Any(a.roles...):
		return errWrongRole
	case a.roles != nil && v.user.MustChangePassword && !a.passwordChange:
		// A one-time password set by an admin is replaced before anything else.
		http.Redirect(w, r, "/password", http.StatusSeeOther)
		return nil
	}
	if !safeMethod(r.Method) {
		if err := readForm(r, t); err != nil {
			return err
		}
		if !validCSRF(r, v.session.CSRFToken) {
			return errBadCSRF
		}
	}
	return h(w, r.WithContext(context.WithValue(r.Context(), visitorKey{}, v)))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// validCSRF accepts the session's token from the form, read already, or,
// for scripts, the X-CSRF-Token header.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
