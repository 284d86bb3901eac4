package egress

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// The operator's endpoint is reachable on an internal address, and it is
// the only place the client goes: no other host or port, no redirect.
func TestInfrastructureClientReachesItsEndpointOnly(t *testing.T) {
	var other atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	defer elsewhere.Close()
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, elsewhere.URL+"/stolen", http.StatusTemporaryRedirect)
			return
		}
		w.Write([]byte("bucket"))
	}))
	defer storage.Close()

	c, err := Infrastructure{Endpoint: storage.URL}.Client(2 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Get(storage.URL + "/bucket/key")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the configured endpoint on loopback: %v", err)
	}
	res.Body.Close()
	if _, err := c.Get(elsewhere.URL + "/"); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("another port on the same address: %v, want ErrHostNotAllowed", err)
	}
	res, err = c.Get(storage.URL + "/moved")
	if err != nil || res.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("redirect: %v, status %v; want the 307 itself", err, res)
	}
	if n := other.Load(); n != 0 {
		t.Errorf("the other server got %d requests", n)
	}
}

// Without an endpoint the client is for AWS itself: https, AWS hosts,
// public addresses.
func TestInfrastructureClientWithoutEndpointIsForAWSOnly(t *testing.T) {
	c, err := Infrastructure{}.Client(2 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string]error{
		"https://127.0.0.1:9/bucket":          ErrHostNotAllowed,
		"https://example.com/bucket":          ErrHostNotAllowed,
		"https://amazonaws.com.evil.example/": ErrHostNotAllowed,
		"http://bucket.s3.amazonaws.com/key":  ErrInsecureURL,
	} {
		if _, err := c.Get(url); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", url, err, want)
		}
	}
}

func TestInfrastructureEndpointChecked(t *testing.T) {
	for _, ep := range []string{"", "http://127.0.0.1:7070", "https://minio.internal:9000/", "https://s3.example.com"} {
		if err := (Infrastructure{Endpoint: ep}).CheckEndpoint(); err != nil {
			t.Errorf("%q refused: %v", ep, err)
		}
	}
	for _, ep := range []string{"127.0.0.1:7070", "ftp://host", "https://", "https://user:pw@host", "https://host/bucket", "https://host?x=1", "://"} {
		if err := (Infrastructure{Endpoint: ep}).CheckEndpoint(); err == nil {
			t.Errorf("%q accepted", ep)
		}
		if _, err := (Infrastructure{Endpoint: ep}).Client(time.Second); err == nil {
			t.Errorf("%q: client built", ep)
		}
	}
}
