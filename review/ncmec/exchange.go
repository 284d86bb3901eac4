package ncmec

import (
	"errors"

	"github.com/loupe-review/loupe/review/cybertip"
)

// ErrNoAnswer marks an exchange whose answer never arrived: the connection
// failed, was cut or timed out. The request may or may not have taken
// effect; after a submit, NCMEC may hold a report whose id the caller never
// learned.
var ErrNoAnswer = errors.New("ncmec: no answer")

// Exchange is one request to NCMEC and its answer, as the caller stores
// them in the report's history.
type Exchange struct {
	Step string // status, submit, upload, fileinfo, finish or retract
	// Request is what was sent: the XML document, the form ("id=123") or,
	// for an upload, a summary of the file (never its bytes). Credentials
	// are never included.
	Request  string
	Status   int    // HTTP status; 0 when no answer arrived
	Response string // the raw answer body
	// Code is NCMEC's responseCode, -1 when the answer had none.
	Code cybertip.Code
	Err  error // nil exactly when the step succeeded
}

// OK reports whether NCMEC accepted the request.
func (x Exchange) OK() bool { return x.Err == nil }

// Retryable reports whether the failure may pass when the submission is
// tried again later: no answer (network error, cut connection, timeout),
// HTTP 5xx or 429, or a response code NCMEC uses for failures on its side.
func (x Exchange) Retryable() bool {
	switch {
	case x.OK():
		return false
	case errors.Is(x.Err, ErrNoAnswer), x.Status >= 500, x.Status == 429:
		return true
	}
	return x.Code.Retryable()
}

// Terminal reports whether the failure needs a person: invalid XML (4100),
// bad credentials or rights (2000, 3000), a report already finished or
// retracted, an answer that could not be read, and anything else that is
// neither OK nor retryable.
func (x Exchange) Terminal() bool { return !x.OK() && !x.Retryable() }
