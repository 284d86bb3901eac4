package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// receiver is a platform's callback endpoint that checks signatures the
// way the README tells receivers to.
type receiver struct {
	mu     sync.Mutex
	secret string
	fail   int // answer 500 to this many requests first
	got    []string
	bad    int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	if !verify(rc.secret, r.Header.Get(review.SignatureHeader), body) {
		rc.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if rc.fail > 0 {
		rc.fail--
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	rc.got = append(rc.got, string(body))
}

// verify checks "t=<unix>,v1=<hex>" as a receiver would.
func verify(secret, header string, body []byte) bool {
	var ts, sig string
	for _, kv := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want, _ := hex.DecodeString(sig)
	return hmac.Equal(mac.Sum(nil), want)
}

// sender delivers callbacks with the server's outbound policy.
func (h *harness) sender() *CallbackSender {
	return &CallbackSender{Store: h.db, Sealer: h.vault, Client: h.srv.cfg.Outbound.Client(5 * time.Second),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: h.clock.Now}
}

// insecureOutbound is --allow-insecure-outbound, which tests with
// receivers on loopback need.
func insecureOutbound(c *Config) { c.Outbound.AllowInsecure = true }

func TestCallbacksAreSignedRetriedAndVisible(t *testing.T) {
	h := newHarness(t, insecureOutbound)
	ctx := context.Background()
	rc := &receiver{secret: "a long enough shared secret", fail: 2}
	platform := httptest.NewServer(rc)
	defer platform.Close()
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	h.apiToken("scanner", "photos")
	src, _ := h.db.FindSourceByName(ctx, "photos")
	res := c.post("/admin/sources/"+strconv.FormatInt(src.ID, 10)+"/callback", map[string][]string{"csrf": {csrf}, "callback_url": {platform.URL}, "callback_secret": {rc.secret}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set callback: %d %s", res.StatusCode, res.testid("error"))
	}
	if err := h.db.Enqueue(ctx, review.KindCallback, src.ID, 0, `{"event":"item.decided","item_id":1}`); err != nil {
		t.Fatal(err)
	}
	s := h.sender()
	for attempt := 1; attempt <= 2; attempt++ {
		if n, err := s.DeliverDue(ctx); n != 0 || err != nil {
			t.Fatalf("attempt %d: delivered %d, %v", attempt, n, err)
		}
		if n, _ := s.DeliverDue(ctx); n != 0 {
			t.Fatal("retried before the backoff elapsed")
		}
		h.clock.Advance(review.Backoff(attempt))
	}
	if n, err := s.DeliverDue(ctx); n != 1 || err != nil {
		t.Fatalf("third attempt: delivered %d, %v", n, err)
	}
	if len(rc.got) != 1 || rc.bad != 0 || !strings.Contains(rc.got[0], "item.decided") {
		t.Errorf("receiver got %v, %d bad signatures", rc.got, rc.bad)
	}
	page := c.get("/admin/tokens")
	if row := page.testid("delivery"); !strings.Contains(row, "delivered") || !strings.Contains(row, "3") {
		t.Errorf("delivery row %q", row)
	}
}

func TestCallbackSecretIsNeverShownAndSealed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	h.apiToken("scanner", "photos")
	src, _ := h.db.FindSourceByName(ctx, "photos")
	secret := "do not show this secret anywhere"
	c.post("/admin/sources/"+strconv.FormatInt(src.ID, 10)+"/callback", map[string][]string{"csrf": {csrf}, "callback_url": {"https://example.org/hook"}, "callback_secret": {secret}})
	if page := c.get("/admin/tokens"); strings.Contains(page.body, secret) {
		t.Error("the page shows the secret")
	}
	_, sealed, _ := h.db.FindCallbackSecret(ctx, src.ID)
	if len(sealed) == 0 || strings.Contains(string(sealed), secret) {
		t.Errorf("secret stored in clear or not at all: %q", sealed)
	}
	for _, form := range []map[string][]string{
		{"callback_url": {"ftp://example.org"}},
		{"callback_url": {"https://example.org/hook"}, "callback_secret": {"short"}},
	} {
		form["csrf"] = []string{csrf}
		if res := c.post("/admin/sources/"+strconv.FormatInt(src.ID, 10)+"/callback", form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", form, res.StatusCode)
		}
	}
}

func TestUndeliverableCallbackBacksOff(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.apiToken("scanner", "photos")
	src, _ := h.db.FindSourceByName(ctx, "photos")
	h.db.Enqueue(ctx, review.KindCallback, src.ID, 0, `{}`) // no callback URL configured
	s := h.sender()
	s.DeliverDue(ctx)
	entries, _ := h.db.FindOutbox(ctx, review.KindCallback, 10)
	if len(entries) != 1 || entries[0].Attempts != 1 || entries[0].LastError == "" || !entries[0].NextAttemptAt.After(h.clock.Now()) {
		t.Errorf("entry after a failed attempt: %+v", entries)
	}
	if got := review.Backoff(30); got != 6*time.Hour {
		t.Errorf("backoff is not capped: %v", got)
	}
}
