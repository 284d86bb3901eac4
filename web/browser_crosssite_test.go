package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// TestBrowserCrossSiteNavigationCarriesNoSession: a page on another site
// (localhost, where Loupe is 127.0.0.1) sends a signed-in lead's browser
// to a case page and to the bundle. The case page asks for sign-in (the
// SameSite=Strict cookie stayed home) and nothing is downloaded; from
// Loupe itself, the case page's download form works.
func TestBrowserCrossSiteNavigationCarriesNoSession(t *testing.T) {
	s := newReportSetup(t)
	k, _ := s.finishedBundle(t)
	casePage := fmt.Sprintf("%s/reports/%d", s.h.ts.URL, k.ID)
	// The other site's page: links a lead might follow, one through a
	// redirect, as in the reported attack.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bundle" {
			http.Redirect(w, r, casePage+"/bundle", http.StatusSeeOther)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!DOCTYPE html><a id="case" href="%s">case</a> <a id="bundle" href="/bundle">bundle</a>`, casePage)
	}))
	defer evil.Close()
	elsewhere := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

	ctx := browser(t)
	browserSignIn(t, ctx, s.h, s.lead)
	step(t, ctx, "follow a link from another site to a case",
		chromedp.Navigate(elsewhere),
		chromedp.Click(chromedp.CSS("#case")),
	)
	waitFor(t, ctx, `location.host === "`+strings.TrimPrefix(s.h.ts.URL, "http://")+`" && document.readyState === "complete"`)
	if path := eval[string](t, ctx, `location.pathname`); path != "/signin" {
		t.Errorf("a link from another site opened %s signed in; want the sign-in page", path)
	}
	step(t, ctx, "follow a link from another site to the bundle",
		chromedp.Navigate(elsewhere),
		chromedp.Click(chromedp.CSS("#bundle")),
	)
	time.Sleep(500 * time.Millisecond)
	if n := s.bundleDownloads(t); n != 0 {
		t.Fatalf("a navigation from another site downloaded the bundle (%d audit entries)", n)
	}

	step(t, ctx, "download from the case page",
		chromedp.Navigate(casePage),
		chromedp.WaitVisible(chromedp.CSS(`form[data-testid="bundle"] button`)),
		chromedp.Click(chromedp.CSS(`form[data-testid="bundle"] button`)),
	)
	deadline := time.Now().Add(10 * time.Second)
	for s.bundleDownloads(t) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := s.bundleDownloads(t); n != 1 {
		t.Errorf("the case page's download form made %d downloads, want 1", n)
	}
}

func (s *reportSetup) bundleDownloads(t *testing.T) int {
	t.Helper()
	entries, err := s.h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionBundle})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
