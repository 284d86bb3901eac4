package egress

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrHostNotAllowed means a request went to a host other than the one
// operator-configured destination a client was built for.
var ErrHostNotAllowed = errors.New("host not allowed")

// Infrastructure is the policy for the one outbound destination an
// operator configures when starting Loupe, such as the S3 endpoint for
// media (AWS_ENDPOINT_URL), as opposed to the destinations admins type
// into Loupe (callbacks, report endpoints), which Policy governs.
//
// The operator's own storage is typically on an internal address (MinIO
// or versitygw on the LAN or on localhost), so Policy's refusal of
// internal addresses cannot apply. In exchange the client reaches that
// one scheme and host (port included) and nothing else: no other host,
// no redirects, no proxy. Nothing a Loupe user can type changes it.
type Infrastructure struct {
	// Endpoint is the configured base URL, http or https. Empty means
	// AWS itself: https to hosts under amazonaws.com (or amazonaws.com.cn),
	// at public addresses only, since nothing internal was configured.
	Endpoint string
}

// awsSuffixes are the domains of AWS's own service endpoints.
var awsSuffixes = []string{".amazonaws.com", ".amazonaws.com.cn"}

// CheckEndpoint checks Endpoint: an absolute http or https URL with a host
// and nothing after it but an optional "/". The error says what to change.
func (p Infrastructure) CheckEndpoint() error {
	if p.Endpoint == "" {
		return nil
	}
	_, err := p.endpoint()
	return err
}

func (p Infrastructure) endpoint() (*url.URL, error) {
	u, err := url.Parse(p.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fmt.Errorf("%q must be an absolute http:// or https:// URL such as https://minio.internal:9000", p.Endpoint)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must be a scheme, host and port only, without credentials, path or query", p.Endpoint)
	}
	return u, nil
}

// Client returns an HTTP client keeping to p. responseTimeout bounds the
// wait for each answer's headers; the request as a whole is bounded by its
// context, as uploads of large files take as long as they take.
func (p Infrastructure) Client(responseTimeout time.Duration) (*http.Client, error) {
	if p.Endpoint == "" {
		rt := onlyHosts{next: httpsOnly{next: transport(responseTimeout, true)}, allowed: func(u *url.URL) bool {
			host := strings.ToLower(u.Hostname())
			for _, s := range awsSuffixes {
				if strings.HasSuffix(host, s) {
					return true
				}
			}
			return false
		}}
		return client(rt, 0), nil
	}
	ep, err := p.endpoint()
	if err != nil {
		return nil, err
	}
	rt := onlyHosts{next: transport(responseTimeout, false), allowed: func(u *url.URL) bool {
		return u.Scheme == ep.Scheme && strings.EqualFold(u.Host, ep.Host)
	}}
	return client(rt, 0), nil
}

// onlyHosts refuses requests to URLs that allowed does not accept.
type onlyHosts struct {
	next    http.RoundTripper
	allowed func(*url.URL) bool
}

func (o onlyHosts) RoundTrip(r *http.Request) (*http.Response, error) {
	if !o.allowed(r.URL) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrHostNotAllowed
	}
	return o.next.RoundTrip(r)
}
