package static

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAssetsAreHashedAndServed(t *testing.T) {
	a := New()
	url := a.URL("css/loupe.css")
	if !strings.HasPrefix(url, "/static/css/loupe.") || !strings.HasSuffix(url, ".css") {
		t.Fatalf("URL = %q", url)
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d %v", url, rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/static/css/loupe.css", nil))
	if rec.Code != 404 {
		t.Errorf("unhashed URL: %d, want 404", rec.Code)
	}
}
