package egress

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Policy says what outbound requests may reach.
type Policy struct {
	// AllowInsecure permits http:// URLs and loopback, private and other
	// internal addresses, for trying Loupe against local fakes
	// (--allow-insecure-outbound). Never in production.
	AllowInsecure bool
}

// Client returns an HTTP client that keeps to p. timeout bounds each
// request as a whole, answer included.
func (p Policy) Client(timeout time.Duration) *http.Client {
	t := transport(timeout, !p.AllowInsecure)
	return client(httpsOnly{next: t, allowHTTP: p.AllowInsecure}, timeout)
}

// transport dials directly (never through a proxy from the environment: a
// proxy would connect for us, past refuseInternal), refusing internal
// addresses when asked to. responseTimeout bounds the wait for an answer's
// headers once the request is sent.
func transport(responseTimeout time.Duration, publicOnly bool) *http.Transport {
	d := &net.Dialer{Timeout: min(responseTimeout, 10*time.Second), KeepAlive: 30 * time.Second}
	if publicOnly {
		d.ControlContext = refuseInternal
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  responseTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        90 * time.Second,
	}
}

// client wraps rt in a client that never follows a redirect: it would
// carry the request, and its signature or credentials, to wherever the
// answer points, such as an internal address. The caller sees the 3xx
// answer instead. timeout bounds each request as a whole (0: no bound).
func client(rt http.RoundTripper, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport:     rt,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// refuseInternal runs for every connection, after DNS resolution, with the
// address actually dialled.
func refuseInternal(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if (network != "tcp4" && network != "tcp6") || err != nil || !Public(ap.Addr()) {
		return ErrAddressNotAllowed
	}
	return nil
}

// httpsOnly refuses plain-http requests unless allowed, also for URLs
// saved while --allow-insecure-outbound was set.
type httpsOnly struct {
	next      http.RoundTripper
	allowHTTP bool
}

func (h httpsOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme != "https" && !(h.allowHTTP && r.URL.Scheme == "http") {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrInsecureURL
	}
	return h.next.RoundTrip(r)
}

// CheckURL checks a destination when it is saved or configured: an
// absolute https URL (http only when AllowInsecure) whose host is not an
// internal address literal or localhost. Names are not looked up here:
// the client checks the addresses they resolve to at every connection.
// The error says what to change, in words for the person who typed it.
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return errors.New("must be an absolute https:// URL")
	}
	if p.AllowInsecure {
		return nil
	}
	if u.Scheme != "https" {
		return fmt.Errorf("must use https:// (http:// is allowed only when Loupe runs with --allow-insecure-outbound, for local testing)")
	}
	if internalName(u.Hostname()) {
		return fmt.Errorf("must not point at a loopback, private, link-local or other internal address (allowed only with --allow-insecure-outbound, for local testing)")
	}
	return nil
}
