package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// userList shows everyone, with the form to add a person.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	return s.renderUserList(w, r, http.StatusOK, components.UserListProps{})
}

func (s *Server) renderUserList(w http.ResponseWriter, r *http.Request, code int, p components.UserListProps) error {
	users, err := s.store.FindUsers(r.Context())
	if err != nil {
		return err
	}
	p.Page, p.CSRF, p.Users = s.page(r, "People"), current(r).session.CSRFToken, users
	s.render(w, r, code, components.UserList(p))
	return nil
}

// createUser adds a person and shows their password once.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	email := r.PostForm.Get("email")
	roles, err := review.ParseRoles(strings.Join(r.PostForm["roles"], ","))
	if err == nil {
		var u review.User
		var password string
		u, password, err = s.accounts.CreateUser(r.Context(), current(r).user.Email, email, roles, r.PostForm.Get("password"))
		if err == nil {
			s.render(w, r, http.StatusOK, components.UserCreated(components.UserCreatedProps{Page: s.page(r, "Person added"), User: u, Password: password}))
			return nil
		}
	}
	var v *review.ValidationError
	if errors.As(err, &v) || errors.Is(err, review.ErrConflict) {
		code, msg := status(err)
		if code == http.StatusConflict {
			msg = "Someone with that email already has an account."
		}
		return s.renderUserList(w, r, code, components.UserListProps{Error: msg, Email: email, Roles: roles})
	}
	return err
}
