package web

import (
	"errors"
	"net/http"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	if v, err := s.loadVisitor(r); err == nil && v.user.ID != 0 {
		http.Redirect(w, r, nextStep(v), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, components.SignIn(components.SignInProps{Page: s.page(r, "Sign in")}))
	return nil
}

// signIn checks the password and starts a password-only session that
// reaches nothing but the second-factor pages.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	email := r.PostFormValue("email")
	u, err := s.accounts.CheckPassword(r.Context(), email, r.PostFormValue("password"), clientIP(r))
	if signInRefused(err) {
		code, msg := problem(w, err)
		s.render(w, r, code, components.SignIn(components.SignInProps{Page: s.page(r, "Sign in"), Email: email, Error: msg}))
		return nil
	}
	if err != nil {
		return err
	}
	old, _ := s.loadVisitor(r)
	if err := s.startSession(w, r, old.idHash, u, review.StagePassword, nil); err != nil {
		return err
	}
	http.Redirect(w, r, nextStep(visitor{user: u, session: review.Session{Stage: review.StagePassword}}), http.StatusSeeOther)
	return nil
}

// signInRefused reports whether err is an answer for the person signing in
// (wrong, throttled, or turned away while too many sign in at once), shown
// on the form they filled in.
func signInRefused(err error) bool {
	return errors.Is(err, review.ErrUnauthorized) || errors.Is(err, review.ErrThrottled) || errors.Is(err, review.ErrBusy)
}

// nextStep is where a signed-in visitor goes from the sign-in page.
func nextStep(v visitor) string {
	switch {
	case v.session.Stage == review.StageFull:
		return "/"
	case v.user.Enrolled():
		return "/signin/2fa"
	default:
		return "/signin/enroll"
	}
}

func (s *Server) secondFactorPage(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	if !v.user.Enrolled() {
		http.Redirect(w, r, "/signin/enroll", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, components.SecondFactor(components.SecondFactorProps{Page: s.page(r, "Two-step verification"), CSRF: v.session.CSRFToken}))
	return nil
}

// secondFactor accepts a TOTP or recovery code and upgrades the session to
// a full one under a new id.
func (s *Server) secondFactor(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	usedRecovery, err := s.accounts.CheckSecondFactor(r.Context(), v.user.ID, r.PostFormValue("code"), clientIP(r))
	if signInRefused(err) {
		code, msg := problem(w, err)
		s.render(w, r, code, components.SecondFactor(components.SecondFactorProps{Page: s.page(r, "Two-step verification"), CSRF: v.session.CSRFToken, Error: msg}))
		return nil
	}
	if err != nil {
		return err
	}
	method := "totp"
	if usedRecovery {
		method = "recovery_code"
	}
	ev := &review.AuditEvent{Actor: v.user.Email, Action: review.ActionSignIn, Target: "user:" + v.user.Email,
		Details: map[string]string{"ip": clientIP(r), "method": method}}
	if err := s.startSession(w, r, v.idHash, v.user, review.StageFull, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// signOut ends the session in the database and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	ev := &review.AuditEvent{Actor: v.user.Email, Action: review.ActionSignOut, Target: "user:" + v.user.Email}
	if err := s.store.ReleaseUserLeases(r.Context(), v.user.ID, s.now()); err != nil {
		return err
	}
	if err := s.store.EndSession(r.Context(), v.idHash, ev); err != nil {
		return err
	}
	if err := s.writeCookie(w, r, ""); err != nil {
		return err
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
