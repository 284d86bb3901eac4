package egress

import (
	"bytes"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// counted is a loopback TLS server that counts the connections it gets.
func counted(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestClientRefusesInternalAddressesWhenDialling(t *testing.T) {
	srv, conns := counted(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := Policy{}.Client(2 * time.Second)
	// localhost passes no check on its name here: it is refused because
	// of the address it resolves to, as a name an attacker re-points is.
	for _, host := range []string{"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"} {
		_, err := c.Get("https://" + host + ":" + port + "/")
		if f := Classify(err); !errors.Is(err, ErrAddressNotAllowed) || f.Error() != "internal address refused" {
			t.Errorf("%s: %v (shown as %q)", host, err, f)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the server got %d connections", n)
	}
}

func TestClientSpeaksHTTPSOnly(t *testing.T) {
	var hit atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit.Store(true) }))
	defer srv.Close()
	_, err := Policy{}.Client(2*time.Second).Post(srv.URL, "text/plain", strings.NewReader("x"))
	if !errors.Is(err, ErrInsecureURL) || hit.Load() {
		t.Errorf("plain http: %v, reached the server: %t", err, hit.Load())
	}
	res, err := Policy{AllowInsecure: true}.Client(2 * time.Second).Get(srv.URL)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("allowed for local testing: %v", err)
	}
	res.Body.Close()
}

func TestClientNeverFollowsRedirects(t *testing.T) {
	var leaked atomic.Value
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Loupe-Signature") + " ")
	}))
	defer target.Close()
	first := httptest.NewServer(http.RedirectHandler(target.URL+"/elsewhere", http.StatusTemporaryRedirect))
	defer first.Close()
	req, _ := http.NewRequest(http.MethodPost, first.URL, strings.NewReader("{}"))
	req.Header.Set("Loupe-Signature", "t=1,v1=abc")
	res, err := Policy{AllowInsecure: true}.Client(2 * time.Second).Do(req)
	if err != nil || res.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("want the 307 itself: %v %v", res, err)
	}
	res.Body.Close()
	if v := leaked.Load(); v != nil {
		t.Errorf("the redirect target got the request (signature %q)", v)
	}
}

func TestClassifyNil(t *testing.T) {
	if f := Classify(nil); f != nil {
		t.Errorf("Classify(nil) = %v", f)
	}
}

func TestFailuresShowOnlyTheirClass(t *testing.T) {
	insecure := Policy{AllowInsecure: true}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close() // nothing listens there now: connection refused
	cases := []struct {
		name, url string
		class     error
	}{
		{"timeout", slow.URL, ErrTimeout},
		{"untrusted certificate", tlsSrv.URL, ErrTLS},
		{"closed port", closed, ErrConnection},
	}
	for _, c := range cases {
		// Short for the timeout case; the others fail at once, and a busy
		// machine must not turn them into timeouts.
		timeout := 10 * time.Second
		if c.class == ErrTimeout {
			timeout = 300 * time.Millisecond
		}
		_, err := insecure.Client(timeout).Get(c.url)
		f := Classify(err)
		if f.Class != c.class || f.Error() != c.class.Error() || !errors.Is(f, c.class) {
			t.Errorf("%s: classified %q from %v", c.name, f, err)
		}
		var logs bytes.Buffer
		slog.New(slog.NewTextHandler(&logs, nil)).Warn("failed", "err", f)
		if !strings.Contains(logs.String(), "127.0.0.1") {
			t.Errorf("%s: the log lacks the cause for operators: %s", c.name, logs.String())
		}
	}
}
