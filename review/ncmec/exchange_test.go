package ncmec

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/loupe-review/loupe/review/cybertip"
)

func TestExchangeClassification(t *testing.T) {
	refused := func(c cybertip.Code) error { return &cybertip.ResponseError{Code: c} }
	for _, tc := range []struct {
		name          string
		x             Exchange
		ok, retryable bool
	}{
		{"accepted", Exchange{Status: 200, Code: 0}, true, false},
		{"no answer", Exchange{Code: -1, Err: fmt.Errorf("%w: submit: EOF", ErrNoAnswer)}, false, true},
		{"HTTP 503", Exchange{Status: 503, Code: -1, Err: errors.New("HTTP 503")}, false, true},
		{"HTTP 502 with a code", Exchange{Status: 502, Code: 4100, Err: refused(4100)}, false, true},
		{"HTTP 429", Exchange{Status: 429, Code: -1, Err: errors.New("HTTP 429")}, false, true},
		{"server error", Exchange{Status: 200, Code: cybertip.CodeServerError, Err: refused(1000)}, false, true},
		{"upload failed", Exchange{Status: 200, Code: cybertip.CodeUploadFailed, Err: refused(1110)}, false, true},
		{"validation failed", Exchange{Status: 200, Code: cybertip.CodeValidationFailed, Err: refused(4100)}, false, false},
		{"authentication", Exchange{Status: 401, Code: cybertip.CodeAuthRequired, Err: refused(2000)}, false, false},
		{"not authorized", Exchange{Status: 200, Code: cybertip.CodeNotAuthorized, Err: refused(3000)}, false, false},
		{"already finished", Exchange{Status: 200, Code: cybertip.CodeAlreadyFinished, Err: refused(5102)}, false, false},
		{"unreadable answer", Exchange{Status: 200, Code: -1, Err: errors.New("parse")}, false, false},
		{"HTTP 404", Exchange{Status: 404, Code: -1, Err: errors.New("HTTP 404")}, false, false},
		{"bad base URL", New(Config{BaseURL: "ftp://example.org"}, nil).Status(context.Background()), false, false},
		{"unparsable base URL", New(Config{BaseURL: "https://exa mple.org/%zz"}, nil).Status(context.Background()), false, false},
	} {
		x := tc.x
		if x.OK() != tc.ok || x.Retryable() != tc.retryable || x.Terminal() != (!tc.ok && !tc.retryable) {
			t.Errorf("%s: OK %v Retryable %v Terminal %v, want OK %v Retryable %v", tc.name, x.OK(), x.Retryable(), x.Terminal(), tc.ok, tc.retryable)
		}
	}
}
