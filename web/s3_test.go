package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/vault/s3"
	"github.com/loupe-review/loupe/storage/vault/s3/s3test"
)

// relay is a TCP relay in front of the test S3 server. Stopping it is the
// server going away, for one test only: the others share the server.
type relay struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
}

func startRelay(t *testing.T, target string) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target}
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			r.mu.Lock()
			r.conns = append(r.conns, in, out)
			r.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	t.Cleanup(r.stop)
	return r
}

func (r *relay) stop() {
	r.ln.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
}

// newS3Harness starts a server whose media is in a new bucket on the test
// S3 server, reached through a relay the test can stop.
func newS3Harness(t *testing.T) (*harness, *s3.Store, *relay) {
	t.Helper()
	loc := s3test.Bucket(t)
	server, err := url.Parse(os.Getenv(s3test.Var))
	if err != nil {
		t.Fatal(err)
	}
	r := startRelay(t, server.Host)
	getenv := func(k string) string {
		if k == "AWS_ENDPOINT_URL" {
			return "http://" + r.ln.Addr().String()
		}
		return s3test.Getenv(k)
	}
	store, err := s3.Open(context.Background(), loc, getenv)
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessOn(t, store), store, r
}

// Ingest answers 201 once the bucket holds the sealed original, and not
// while the bucket does not answer.
func TestS3IngestAnswersOnlyOnceStored(t *testing.T) {
	h, store, r := newS3Harness(t)
	ctx := context.Background()
	token := h.apiToken("scanner", "photos")
	img := testImage(64, 48, 3)
	res := h.ingest(token, meta("s3-1", ""), media(img))
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %+v", res.status, res.err)
	}
	id := review.ObjectID(res.item.Media[0].ID, review.KindOriginal)
	raw, err := store.Get(ctx, id)
	if err != nil {
		t.Fatalf("the bucket has no original after the 201: %v", err)
	}
	for i := 0; i+16 <= len(img); i += 8 {
		if bytes.Contains(raw, img[i:i+16]) {
			t.Fatalf("the bucket holds plaintext bytes %d-%d of the image", i, i+16)
		}
	}
	if got := h.object(res.item.Media[0].ID, review.KindOriginal); !bytes.Equal(got, img) {
		t.Error("the original does not decrypt to the upload")
	}

	r.stop()
	res = h.ingest(token, meta("s3-2", ""), media(testImage(40, 40, 4)))
	if res.status < 500 {
		t.Errorf("ingest with the bucket unreachable: %d, want a 5xx", res.status)
	}
	src, err := h.db.FindSourceByName(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.FindItemByExternalID(ctx, src.ID, "s3-2"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("an item whose upload failed was stored: %v", err)
	}
}

// /readyz fails once the S3 server stops answering.
func TestS3ReadinessFollowsTheBucket(t *testing.T) {
	h, _, r := newS3Harness(t)
	c := h.client()
	if res := c.get("/readyz"); res.StatusCode != http.StatusOK {
		t.Fatalf("readyz with the bucket up: %d %q", res.StatusCode, res.body)
	}
	r.stop()
	h.clock.Advance(mediaCheckTTL)
	res := c.get("/readyz")
	if res.StatusCode != http.StatusServiceUnavailable || res.body != "media storage unavailable\n" {
		t.Errorf("readyz with the S3 server stopped: %d %q, want 503", res.StatusCode, res.body)
	}
}
