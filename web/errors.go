package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// statusOf is the one table from domain errors to HTTP status codes.
var statusOf = []struct {
	err    error
	status int
}{
	{review.ErrNotFound, http.StatusNotFound},
	{review.ErrConflict, http.StatusConflict},
	{review.ErrForbidden, http.StatusForbidden},
	{review.ErrUnauthorized, http.StatusUnauthorized},
	{review.ErrThrottled, http.StatusTooManyRequests},
	{review.ErrTooLarge, http.StatusRequestEntityTooLarge},
	{review.ErrUnsupportedMedia, http.StatusUnsupportedMediaType},
	{review.ErrTooManyPixels, http.StatusUnprocessableEntity},
	{review.ErrUnavailable, http.StatusServiceUnavailable},
	{review.ErrGone, http.StatusGone},
	{errSlowBody, http.StatusRequestTimeout},
}

// status returns the HTTP status for err and the message to show. Domain
// errors explain themselves; storage's context ("storage: find user 7")
// and anything unexpected are not shown.
func status(err error) (int, string) {
	var v *review.ValidationError
	if errors.As(err, &v) {
		return http.StatusBadRequest, v.Message()
	}
	for _, e := range statusOf {
		if errors.Is(err, e.err) {
			msg := strings.TrimSuffix(err.Error(), ": "+e.err.Error())
			if strings.HasPrefix(msg, "storage: ") {
				msg = http.StatusText(e.status)
			}
			return e.status, msg
		}
	}
	return http.StatusInternalServerError, "Something went wrong on our side. It has been logged."
}

// fail answers a request whose handler returned err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errSignInNeeded):
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	case errors.Is(err, errSecondFactorNeeded):
		http.Redirect(w, r, "/signin/2fa", http.StatusSeeOther)
		return
	case errors.Is(err, review.ErrOnBreak):
		// A claim or reveal refused for a break: the break page says why
		// and until when (the review page follows this redirect too).
		http.Redirect(w, r, "/break", http.StatusSeeOther)
		return
	}
	code, msg := problem(w, err)
	switch {
	case code == http.StatusInternalServerError:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case code == http.StatusForbidden:
		s.log.Warn("access refused", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.render(w, r, code, components.ErrorPage(components.ErrorProps{
		Page: s.page(r, http.StatusText(code)), Status: code, Message: msg,
	}))
}

// problem is status for a response about to be written: it also tells a
// throttled or turned-away client when to come back.
func problem(w http.ResponseWriter, err error) (int, string) {
	var t *review.ThrottledError
	switch {
	case errors.As(err, &t):
		w.Header().Set("Retry-After", t.Until.UTC().Format(http.TimeFormat))
	case errors.Is(err, review.ErrBusy):
		w.Header().Set("Retry-After", busyRetrySeconds)
	}
	return status(err)
}

// busyRetrySeconds is when a sign-in turned away for a full queue may try
// again: by then the queue has moved on by a few hundred checks.
const busyRetrySeconds = "5"
