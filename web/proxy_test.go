package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestTrustedProxyDecidesWhoseForwardedForCounts: the per-IP throttle
// counts the address a trusted proxy reports, and ignores the header from
// anyone else.
func TestTrustedProxyDecidesWhoseForwardedForCounts(t *testing.T) {
	signIn := func(h *harness, forwarded string) int {
		req, _ := http.NewRequest("POST", h.ts.URL+"/signin", strings.NewReader(url.Values{"email": {"x@example.org"}, "password": {"wrong password!"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwarded)
		return h.client().do(req).StatusCode
	}
	limit := review.DefaultSignInPolicy.IPMaxFailures

	h := newHarness(t)
	h.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	for range limit {
		signIn(h, "198.51.100.9, 203.0.113.5")
	}
	if code := signIn(h, "203.0.113.5"); code != http.StatusTooManyRequests {
		t.Errorf("the forwarded address was not throttled: %d", code)
	}
	if code := signIn(h, "203.0.113.6"); code != http.StatusUnauthorized {
		t.Errorf("another forwarded address was throttled too: %d", code)
	}

	untrusted := newHarness(t)
	for i := range limit {
		signIn(untrusted, "203.0.113."+string(rune('0'+i%10)))
	}
	if code := signIn(untrusted, "203.0.113.99"); code != http.StatusTooManyRequests {
		t.Errorf("without a trusted proxy, a made-up X-Forwarded-For escaped the throttle: %d", code)
	}
}
