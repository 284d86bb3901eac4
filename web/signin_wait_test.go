package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// A sign-in that waits its turn for the password hash may wait longer than
// the server's write timeout: it must still get its answer, not a
// connection closed under it (which the browser shows as a network error).
func TestSignInsWaitingTheirTurnOutlastTheWriteTimeout(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.SignInSlots, c.SignInWait = 1, 20*time.Second })
	const n = 12
	var people []person
	for i := range n {
		people = append(people, h.addPerson(fmt.Sprintf("p%d@example.org", i), true, review.RoleReviewer))
	}
	// A real http.Server with a write timeout far shorter than the queue.
	ts := httptest.NewUnstartedServer(h.srv)
	ts.Config = NewHTTPServer(h.srv, Timeouts{ReadHeader: time.Second, Read: 5 * time.Second, Write: 200 * time.Millisecond, Idle: time.Minute, MinRate: 1 << 10}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts.Start()
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var wg sync.WaitGroup
	answers := make([]string, n)
	for i, p := range people {
		wg.Go(func() {
			form := url.Values{"email": {p.Email}, "password": {testPassword}}
			res, err := client.Post(ts.URL+"/signin", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			if err != nil {
				answers[i] = err.Error()
				return
			}
			res.Body.Close()
			answers[i] = fmt.Sprint(res.StatusCode, " ", res.Header.Get("Location"))
		})
	}
	wg.Wait()
	for i, a := range answers {
		if a != "303 /signin/2fa" {
			t.Errorf("sign-in %d: %s", i, a)
		}
	}
}
