package web

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/storagetest"
)

// TestInstancesShareSessionsAndRevealGrants: two instances of Loupe on one
// PostgreSQL database behind a load balancer that sends each request
// anywhere. A session started on one works on the other, a reveal asked of
// one is fetched from the other, once, and signing out on one ends the
// session on both.
func TestInstancesShareSessionsAndRevealGrants(t *testing.T) {
	t.Setenv(storagetest.EngineEnv, "postgres")
	s := newReviewSetup(t, 1, 2)
	a := s.h
	b := a.twin()
	ca, csrf := a.signIn(s.rev1)
	cb := &client{h: b, http: ca.http} // the same browser (cookies do not depend on the port)
	if res := cb.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("instance B with A's session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	id, _ := s.claim(t, cb, csrf) // claimed through B
	it, err := a.db.FindItemByID(t.Context(), id)
	if err != nil || it.LeaseUserID != s.rev1.ID {
		t.Fatalf("instance A sees item %d leased to %d (%v)", id, it.LeaseUserID, err)
	}
	m := it.Media[0]
	res, grant := s.reveal(ca, csrf, id, m.ID, "colour") // revealed through A
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reveal on A: %d", res.StatusCode)
	}
	got := cb.get(grant.URL)
	if got.StatusCode != http.StatusOK || !bytes.Equal([]byte(got.body), a.object(m.ID, review.KindOriginal)) {
		t.Errorf("A's reveal fetched from B: %d", got.StatusCode)
	}
	if again := ca.get(grant.URL); again.StatusCode == http.StatusOK {
		t.Error("the single-use reveal URL worked a second time, on the other instance")
	}
	if res := cb.post("/signout", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on B: %d", res.StatusCode)
	}
	if res := ca.get("/"); res.StatusCode == http.StatusOK {
		t.Error("instance A still serves the session that signed out on B")
	}
}
