package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// integrations lists API tokens and sources.
func (s *Server) integrations(w http.ResponseWriter, r *http.Request) error {
	return s.renderIntegrations(w, r, http.StatusOK, components.IntegrationsProps{Notice: integrationNotices[r.URL.Query().Get("done")]})
}

var integrationNotices = map[string]string{
	"revoked":  "Token revoked.",
	"callback": "Callback saved.",
}

func (s *Server) renderIntegrations(w http.ResponseWriter, r *http.Request, code int, p components.IntegrationsProps) error {
	var err error
	if p.Tokens, err = s.store.FindTokens(r.Context()); err != nil {
		return err
	}
	if p.Sources, err = s.store.FindSources(r.Context()); err != nil {
		return err
	}
	if p.Deliveries, err = s.store.FindOutbox(r.Context(), review.KindCallback, 50); err != nil {
		return err
	}
	if p.Lists, err = s.store.FindHashLists(r.Context()); err != nil {
		return err
	}
	p.Page, p.CSRF = s.page(r, "Integrations"), current(r).session.CSRFToken
	s.render(w, r, code, components.Integrations(p))
	return nil
}

// createToken makes an API token with the scope chosen (ingest when none
// is) and shows it once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	name, source, scope := r.PostFormValue("name"), r.PostFormValue("source"), r.PostFormValue("scope")
	if scope == "" {
		scope = review.ScopeIngest
	}
	err := s.checkListScope(r, scope)
	var raw string
	if err == nil {
		_, raw, err = review.NewToken(r.Context(), s.store, s.random, current(r).user.Email, name, source, scope)
	}
	var v *review.ValidationError
	if errors.As(err, &v) || errors.Is(err, review.ErrConflict) {
		code, msg := status(err)
		if code == http.StatusConflict {
			msg = "A token with that name already exists."
		}
		return s.renderIntegrations(w, r, code, components.IntegrationsProps{Error: msg, Name: name, Source: source, Scope: scope})
	}
	if err != nil {
		return err
	}
	return s.renderIntegrations(w, r, http.StatusOK, components.IntegrationsProps{NewToken: raw})
}

// checkListScope refuses a hashlist:<id> scope naming no list.
func (s *Server) checkListScope(r *http.Request, scope string) error {
	id, ok := strings.CutPrefix(scope, review.ScopeHashlist)
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err == nil {
		_, err = s.store.FindHashList(r.Context(), n)
	}
	if err == nil || !(errors.Is(err, review.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
		return err
	}
	return review.Invalid("scope", "choose a hash list that exists")
}

// revokeToken stops a token at once.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	tokens, err := s.store.FindTokens(r.Context())
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID == id {
			ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionTokenRevoked, Target: "token:" + t.Name}
			if err := s.store.RevokeToken(r.Context(), t.Name, ev); err != nil {
				return err
			}
			http.Redirect(w, r, "/admin/tokens?done=revoked", http.StatusSeeOther)
			return nil
		}
	}
	return review.ErrNotFound
}

// setCallback sets a source's callback URL and, if given, a new secret.
func (s *Server) setCallback(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	url, newSecret := r.PostFormValue("callback_url"), r.PostFormValue("callback_secret")
	if err := s.checkCallbackURL(url); err != nil {
		code, msg := status(err)
		return s.renderIntegrations(w, r, code, components.IntegrationsProps{Error: msg})
	}
	_, sealed, err := s.store.FindCallbackSecret(r.Context(), id)
	if err != nil {
		return err
	}
	if newSecret != "" {
		if len(newSecret) < 16 {
			return s.renderIntegrations(w, r, http.StatusBadRequest, components.IntegrationsProps{Error: "The signing secret must be at least 16 characters."})
		}
		if sealed, err = s.sealer.Seal(callbackSecretName(id), []byte(newSecret)); err != nil {
			return err
		}
	}
	if url != "" && sealed == nil {
		return s.renderIntegrations(w, r, http.StatusBadRequest, components.IntegrationsProps{Error: "Set a signing secret so receivers can check that callbacks come from Loupe."})
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionCallbackSet, Target: "source:" + strconv.FormatInt(id, 10),
		Details: map[string]string{"url": url, "secret_changed": strconv.FormatBool(newSecret != "")}}
	if err := s.store.SetCallback(r.Context(), id, url, sealed, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tokens?done=callback", http.StatusSeeOther)
	return nil
}

// checkCallbackURL checks a callback address when it is saved ("" removes
// the callback). The sender checks again, at every connection.
func (s *Server) checkCallbackURL(url string) error {
	if url == "" {
		return nil
	}
	if err := s.cfg.Outbound.CheckURL(url); err != nil {
		return review.Invalid("callback_url", err.Error())
	}
	return nil
}

// callbackSecretName binds a sealed callback secret to its source.
func callbackSecretName(sourceID int64) string {
	return "callback-secret:" + strconv.FormatInt(sourceID, 10)
}
