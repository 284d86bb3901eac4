package cybertip

import (
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"time"
)

// Problem is one input that is missing or invalid: NCMEC would reject the
// document, or the report would be of little use to them. Field is the
// path of the input field, in Go selector syntax ("Org.Reporter.Email",
// "Files[1].Hashes"), so the caller can point at it.
type Problem struct {
	Field   string
	Message string
}

func (p Problem) String() string { return p.Field + ": " + p.Message }

// problems collects Problems; its methods check one value each.
type problems []Problem

func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) required(field, value string) {
	if value == "" {
		ps.add(field, "is required")
	}
}

func (ps *problems) email(field, value string) {
	if value == "" {
		return
	}
	// A bare address only: a display name would reach NCMEC verbatim.
	if a, err := mail.ParseAddress(value); err != nil || a.Address != value {
		ps.add(field, "is not an email address")
	}
}

func (ps *problems) url(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.add(field, "is not an absolute http(s) URL")
	}
}

func (ps *problems) ip(field, value string) {
	if value == "" {
		ps.add(field, "is required")
		return
	}
	if _, err := netip.ParseAddr(value); err != nil {
		ps.add(field, "is not an IP address")
	}
}

func (ps *problems) notFuture(field string, t, now time.Time) {
	if t.After(now) {
		ps.add(field, "is in the future")
	}
}

func (ps *problems) event(field string, e CaptureEvent) {
	if e != "" && !e.Valid() {
		ps.add(field, "%q is not a capture event the schema knows", e)
	}
}

// timePtr returns t in UTC, or nil for the zero time so the optional
// element is left out.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
