package web

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/loupe-review/loupe/review"
)

const callbackSecret = "a long enough shared secret"

// callbackSource makes the source "photos" and a signed-in admin.
func callbackSource(h *harness) (int64, *client, string) {
	h.t.Helper()
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	h.apiToken("scanner", "photos")
	src, err := h.db.FindSourceByName(context.Background(), "photos")
	if err != nil {
		h.t.Fatal(err)
	}
	return src.ID, c, csrf
}

// storeCallback sets a source's callback URL without the form's checks:
// a name that resolved to a public address when saved may resolve to an
// internal one later, and a URL saved with --allow-insecure-outbound stays
// when Loupe restarts without it.
func (h *harness) storeCallback(sourceID int64, url string) {
	h.t.Helper()
	ctx := context.Background()
	sealed, err := h.vault.Seal(callbackSecretName(sourceID), []byte(callbackSecret))
	if err == nil {
		err = h.db.SetCallback(ctx, sourceID, url, sealed, review.AuditEvent{Action: "test"})
	}
	if err == nil {
		err = h.db.Enqueue(ctx, review.KindCallback, sourceID, 0, `{"event":"item.decided","item_id":1}`)
	}
	if err != nil {
		h.t.Fatal(err)
	}
}

// deliveryShown delivers once and returns the delivery row admins see.
func (h *harness) deliveryShown(c *client) string {
	h.t.Helper()
	if n, err := h.sender().DeliverDue(context.Background()); n != 0 || err != nil {
		h.t.Fatalf("delivered %d, %v; want a failed attempt", n, err)
	}
	return c.get("/admin/tokens").testid("delivery")
}

func TestCallbackURLMustBePublicHTTPS(t *testing.T) {
	h := newHarness(t)
	id, c, csrf := callbackSource(h)
	save := func(url string) response {
		return c.post("/admin/sources/"+strconv.FormatInt(id, 10)+"/callback", map[string][]string{"csrf": {csrf}, "callback_url": {url}, "callback_secret": {callbackSecret}})
	}
	for url, problem := range map[string]string{
		"http://example.org/hook":                   "must use https://",
		"https://127.0.0.1/hook":                    "internal address",
		"https://[::1]:8443/hook":                   "internal address",
		"https://[::ffff:127.0.0.1]/hook":           "internal address",
		"https://169.254.169.254/latest/meta-data/": "internal address",
		"https://10.0.0.5/hook":                     "internal address",
		"https://localhost:8443/hook":               "internal address",
	} {
		if res := save(url); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), problem) {
			t.Errorf("%s: %d %q, want 400 saying %q", url, res.StatusCode, res.testid("error"), problem)
		}
	}
	if res := save("https://hooks.example.org/loupe"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("public https URL: %d %q", res.StatusCode, res.testid("error"))
	}
	h2 := newHarness(t, insecureOutbound)
	id, c, csrf = callbackSource(h2)
	if res := save("http://127.0.0.1:9/hook"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("loopback http with --allow-insecure-outbound: %d %q", res.StatusCode, res.testid("error"))
	}
}

func TestCallbackToInternalAddressIsRefusedWhenConnecting(t *testing.T) {
	h := newHarness(t)
	id, c, _ := callbackSource(h)
	var conns atomic.Int32
	rc := httptest.NewUnstartedServer(&receiver{secret: callbackSecret})
	rc.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	rc.StartTLS()
	defer rc.Close()
	_, port, _ := net.SplitHostPort(rc.Listener.Addr().String())
	h.storeCallback(id, "https://localhost:"+port+"/hook")
	row := h.deliveryShown(c)
	if !strings.Contains(row, "internal address refused") || strings.Contains(row, port) || strings.Contains(row, "127.0.0.1") {
		t.Errorf("delivery row %q: want the class only", row)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the receiver on loopback got %d connections", n)
	}
}

func TestCallbackSavedAsHTTPIsNotSentWithoutTheFlag(t *testing.T) {
	h := newHarness(t)
	id, c, _ := callbackSource(h)
	rc := &receiver{secret: callbackSecret}
	platform := httptest.NewServer(rc)
	defer platform.Close()
	h.storeCallback(id, platform.URL)
	if row := h.deliveryShown(c); !strings.Contains(row, "https required") || len(rc.got)+rc.bad != 0 {
		t.Errorf("delivery row %q, receiver got %d requests", row, len(rc.got)+rc.bad)
	}
}

func TestCallbackRedirectIsNotFollowed(t *testing.T) {
	h := newHarness(t, insecureOutbound)
	id, c, _ := callbackSource(h)
	var signature atomic.Value
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signature.Store(r.Header.Get(review.SignatureHeader) + " ")
	}))
	defer elsewhere.Close()
	platform := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/steal", http.StatusTemporaryRedirect))
	defer platform.Close()
	h.storeCallback(id, platform.URL)
	row := h.deliveryShown(c)
	if sig := signature.Load(); sig != nil {
		t.Errorf("the redirect was followed, with the signature %q", sig)
	}
	if !strings.Contains(row, "HTTP status 307") {
		t.Errorf("delivery row %q", row)
	}
}

func TestCallbackFailureShowsOnlyItsClass(t *testing.T) {
	h := newHarness(t, insecureOutbound)
	id, c, _ := callbackSource(h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a closed port: the connection is refused
	h.storeCallback(id, "http://"+addr+"/hook")
	row := h.deliveryShown(c)
	_, port, _ := net.SplitHostPort(addr)
	if !strings.Contains(row, "connection failed") || strings.Contains(row, port) || strings.Contains(row, "refused") || strings.Contains(row, "dial") {
		t.Errorf("delivery row %q: want the class only", row)
	}
}
