package web

import (
	"errors"
	"net/http"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// setOneTimePassword gives a person a generated password, shown once; they
// must change it at next sign-in.
func (s *Server) setOneTimePassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, password, err := s.accounts.SetOneTimePassword(r.Context(), current(r).user, id)
	if errors.Is(err, review.ErrForbidden) {
		target, ferr := s.store.FindUserByID(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		_, msg := status(err)
		s.renderUserDetail(w, r, http.StatusForbidden, target, msg, "")
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, components.UserCreated(components.UserCreatedProps{Page: s.page(r, "One-time password"), User: u, Password: password, OneTime: true}))
	return nil
}

// passwordPage asks a person with a one-time password for their own.
func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPasswordPage(w, r, http.StatusOK, "")
	return nil
}

func (s *Server) renderPasswordPage(w http.ResponseWriter, r *http.Request, code int, problem string) {
	v := current(r)
	p := s.page(r, "Choose your password")
	if v.user.MustChangePassword {
		p.Nav.Links, p.Nav.StepAway = nil, false // nothing else is reachable until it is done
	}
	s.render(w, r, code, components.ChangePassword(components.ChangePasswordProps{
		Page: p, CSRF: v.session.CSRFToken, Forced: v.user.MustChangePassword, Error: problem,
	}))
}

// changePassword sets the person's own password.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		s.renderPasswordPage(w, r, http.StatusBadRequest, "The two new passwords differ.")
		return nil
	}
	err := s.accounts.ChangePassword(r.Context(), current(r).user, r.PostFormValue("current"), r.PostFormValue("password"))
	var v *review.ValidationError
	if errors.As(err, &v) {
		s.renderPasswordPage(w, r, http.StatusBadRequest, v.Message())
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
