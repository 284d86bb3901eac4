package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// userDetail shows one person's account with the admin's actions.
func (s *Server) userDetail(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	s.renderUserDetail(w, r, http.StatusOK, u, "", r.URL.Query().Get("done"))
	return nil
}

func (s *Server) renderUserDetail(w http.ResponseWriter, r *http.Request, code int, u review.User, problem, notice string) {
	v := current(r)
	s.render(w, r, code, components.UserDetail(components.UserDetailProps{
		Page: s.page(r, u.Email), CSRF: v.session.CSRFToken, User: u, Self: u.ID == v.user.ID,
		Error: problem, Notice: notices[notice],
	}))
}

// notices are the confirmations shown after each action's redirect.
var notices = map[string]string{
	"roles":           "Roles saved.",
	"disable":         "Account disabled and signed out everywhere.",
	"enable":          "Account enabled.",
	"reset-2fa":       "Two-step verification reset; they set it up again at next sign-in.",
	"revoke-sessions": "Signed out everywhere.",
}

// updateUser is the shape of every admin action on a person: apply upd,
// then redirect back with a notice, or show why it was refused.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, upd review.UserUpdate, done string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.accounts.UpdateUser(r.Context(), current(r).user, id, upd)
	if code, msg := status(err); err != nil && (code == http.StatusForbidden || code == http.StatusBadRequest) {
		u, ferr := s.store.FindUserByID(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		s.renderUserDetail(w, r, code, u, msg, "")
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) setUserRoles(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return review.Invalid("form", "could not read the form")
	}
	roles := review.Roles{}
	if len(r.PostForm["roles"]) > 0 {
		var err error
		if roles, err = review.ParseRoles(strings.Join(r.PostForm["roles"], ",")); err != nil {
			return err
		}
	}
	return s.updateUser(w, r, review.UserUpdate{Roles: &roles}, "roles")
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) error {
	yes := true
	return s.updateUser(w, r, review.UserUpdate{Disabled: &yes}, "disable")
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) error {
	no := false
	return s.updateUser(w, r, review.UserUpdate{Disabled: &no}, "enable")
}

func (s *Server) resetUserTOTP(w http.ResponseWriter, r *http.Request) error {
	return s.updateUser(w, r, review.UserUpdate{ResetTOTP: true}, "reset-2fa")
}

func (s *Server) revokeUserSessions(w http.ResponseWriter, r *http.Request) error {
	return s.updateUser(w, r, review.UserUpdate{RevokeSessions: true}, "revoke-sessions")
}
