package web

import (
	"net/http"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

// pendingSecret returns the secret being enrolled in this session, making
// one on first use so reloading the page shows the same secret.
func (s *Server) pendingSecret(r *http.Request, v visitor) (string, error) {
	if v.session.PendingTOTP != "" {
		return v.session.PendingTOTP, nil
	}
	sec, err := secret.NewTOTPSecret(s.random)
	if err != nil {
		return "", err
	}
	return sec, s.store.SetPendingTOTP(r.Context(), v.idHash, sec)
}

func (s *Server) enrollPage(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	if v.user.Enrolled() {
		http.Redirect(w, r, "/signin/2fa", http.StatusSeeOther)
		return nil
	}
	sec, err := s.pendingSecret(r, v)
	if err != nil {
		return err
	}
	s.renderEnroll(w, r, http.StatusOK, v, sec, "")
	return nil
}

func (s *Server) renderEnroll(w http.ResponseWriter, r *http.Request, code int, v visitor, sec, problem string) {
	s.render(w, r, code, components.Enroll(components.EnrollProps{
		Page: s.page(r, "Set up two-step verification"), CSRF: v.session.CSRFToken,
		Secret: sec, URI: secret.TOTPURI(sec, v.user.Email), Error: problem,
	}))
}

// enrollQR renders the pending secret as a QR code on the server: no
// outside service ever sees it.
func (s *Server) enrollQR(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	if v.user.Enrolled() || v.session.PendingTOTP == "" {
		return review.ErrNotFound
	}
	png, err := secret.TOTPQRCode(v.session.PendingTOTP, v.user.Email)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(png)
	return err
}

// enroll confirms the authenticator with a current code, upgrades the
// session, and shows the recovery codes once.
func (s *Server) enroll(w http.ResponseWriter, r *http.Request) error {
	v := current(r)
	if v.session.PendingTOTP == "" {
		http.Redirect(w, r, "/signin/enroll", http.StatusSeeOther)
		return nil
	}
	codes, err := s.accounts.ConfirmEnrollment(r.Context(), v.user.ID, v.session.PendingTOTP, r.PostFormValue("code"), clientIP(r))
	if code, msg := problem(w, err); err != nil && code < 500 {
		s.renderEnroll(w, r, code, v, v.session.PendingTOTP, msg)
		return nil
	}
	if err != nil {
		return err
	}
	ev := &review.AuditEvent{Actor: v.user.Email, Action: review.ActionSignIn, Target: "user:" + v.user.Email,
		Details: map[string]string{"ip": clientIP(r), "method": "enrollment"}}
	if err := s.startSession(w, r, v.idHash, v.user, review.StageFull, ev); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, components.RecoveryCodes(components.RecoveryCodesProps{Page: s.page(r, "Recovery codes"), Codes: codes}))
	return nil
}
