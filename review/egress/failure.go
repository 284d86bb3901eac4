package egress

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
)

// The classes of failure people may be shown. The underlying error's text
// can name internal hosts, addresses and ports, which would turn a
// destination form into a scanner of the network Loupe runs in.
var (
	ErrAddressNotAllowed = errors.New("internal address refused")
	ErrInsecureURL       = errors.New("https required")
	ErrTimeout           = errors.New("timed out")
	ErrTLS               = errors.New("TLS error")
	ErrConnection        = errors.New("connection failed")
)

// Failure is a failed request as Classify reports it. Its message is only
// the class; logged with slog it also shows the cause, for operators.
type Failure struct {
	Class error // one of the Err values above
	Cause error
}

func (f *Failure) Error() string   { return f.Class.Error() }
func (f *Failure) Unwrap() []error { return []error{f.Class, f.Cause} }

// LogValue gives the server's log what Error keeps from people.
func (f *Failure) LogValue() slog.Value {
	return slog.GroupValue(slog.String("class", f.Class.Error()), slog.String("cause", f.Cause.Error()))
}

// Classify turns the error of a request made with a Policy client into a
// *Failure that names only its class; nil stays nil.
func Classify(err error) *Failure {
	if err == nil {
		return nil
	}
	f := &Failure{Class: ErrConnection, Cause: err}
	var tlsRecord tls.RecordHeaderError
	var tlsAlert tls.AlertError
	var tlsVerify *tls.CertificateVerificationError
	var ne net.Error
	switch {
	case errors.Is(err, ErrAddressNotAllowed):
		f.Class = ErrAddressNotAllowed
	case errors.Is(err, ErrInsecureURL):
		f.Class = ErrInsecureURL
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		f.Class = ErrTimeout
	case errors.As(err, &tlsRecord), errors.As(err, &tlsAlert), errors.As(err, &tlsVerify):
		f.Class = ErrTLS
	}
	return f
}
