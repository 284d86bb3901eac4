package web

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/securecookie"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/matching"
	"github.com/loupe-review/loupe/review/secret"
	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/storage/storagetest"
	"github.com/loupe-review/loupe/storage/vault"
)

// testPassword is every test person's password.
const testPassword = "correct horse battery staple"

// clock is a settable time source shared by the server and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is a real server on real storage, behind a real listener.
type harness struct {
	t        *testing.T
	srv      *Server
	db       *storage.DB
	clock    *clock
	ts       *httptest.Server
	vault    *vault.Vault
	mediaDir string
	dbPath   string // the SQLite file or PostgreSQL URL, for tests that set up rows no page makes yet
	cfg      Config
	auditKey []byte
}

// addQueue creates a queue and returns its id.
func (h *harness) addQueue(name string) int64 {
	h.t.Helper()
	q, err := h.db.CreateQueue(context.Background(), review.NewQueue(name), review.AuditEvent{Action: "test"})
	if err != nil {
		h.t.Fatal(err)
	}
	return q.ID
}

// object decrypts one stored object of a media.
func (h *harness) object(mediaID string, kind review.MediaKind) []byte {
	h.t.Helper()
	o, err := h.db.FindObject(context.Background(), mediaID, kind)
	if err != nil {
		h.t.Fatal(err)
	}
	b, err := review.ReadObject(context.Background(), h.vault, mediaID, kind, o)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// newHarness starts a server with its media in a local directory; opts
// adjust its configuration first. LOUPE_TEST_ENGINE=postgres runs it on
// PostgreSQL.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	mediaDir := filepath.Join(t.TempDir(), "media")
	d, err := vault.OpenDir(mediaDir)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, d, opts...)
	h.mediaDir = mediaDir
	return h
}

// newHarnessOn starts a server keeping its media in store.
func newHarnessOn(t *testing.T, store vault.Store, opts ...func(*Config)) *harness {
	t.Helper()
	cfg := DefaultConfig()
	cfg.CookieKeys = [2][]byte{securecookie.GenerateRandomKey(32), securecookie.GenerateRandomKey(32)}
	for _, o := range opts {
		o(&cfg)
	}
	v, err := vault.New(store, securecookie.GenerateRandomKey(32), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	h := &harness{t: t, clock: c, vault: v, cfg: cfg, auditKey: securecookie.GenerateRandomKey(32),
		dbPath: storagetest.Database(t, filepath.Join(t.TempDir(), "loupe.db"))}
	h.start()
	return h
}

// twin starts a second instance of h's server: the same database, media,
// keys and clock, its own storage pool, matcher and listener.
func (h *harness) twin() *harness {
	h.t.Helper()
	b := *h
	b.start()
	return &b
}

// start opens h's database and serves it.
func (h *harness) start() {
	t, c, cfg, v := h.t, h.clock, h.cfg, h.vault
	db, err := storage.Open(context.Background(), h.dbPath, c.Now, h.auditKey)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hashes := &review.HashLists{Store: db, Matcher: matching.New()}
	if err := hashes.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := New(cfg, Deps{Store: db, Vault: v, Sealer: v, Hashes: hashes, Log: log, Now: c.Now, Random: rand.Reader,
		FreeBytes: func() (uint64, error) { return 100 << 30, nil }})
	// As loupe serve does: other instances' hash-list changes reach this one.
	ctx, stop := context.WithCancel(context.Background())
	go db.ListenHashLists(ctx, func() { hashes.Refresh(ctx) }, func(error) {})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { stop(); ts.Close(); db.Close() })
	h.srv, h.db, h.ts = srv, db, ts
}

// settle applies what decisions hold back for their undo window, as the
// server's settle step does once the window has passed (the clock stays).
func (h *harness) settle() {
	h.t.Helper()
	if _, err := h.db.SettleDecisions(context.Background(), h.clock.Now().Add(review.UndoWindow)); err != nil {
		h.t.Fatal(err)
	}
}

// person is a test account with its TOTP secret.
type person struct {
	review.User
	secret string
}

// addPerson creates an account; enrolled people have a TOTP secret.
func (h *harness) addPerson(email string, enrolled bool, roles ...review.Role) person {
	h.t.Helper()
	ctx := context.Background()
	u, _, err := h.srv.accounts.CreateUser(ctx, "test", email, review.NewRoles(roles...), testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	p := person{User: u}
	if enrolled {
		p.secret, _ = secret.NewTOTPSecret(rand.Reader)
		if err := h.srv.accounts.Enroll(ctx, u.ID, p.secret, 0, []string{secret.Digest("aaaa-bbbb-cccc")}, review.AuditEvent{Action: "test"}); err != nil {
			h.t.Fatal(err)
		}
	}
	return p
}

// code is p's TOTP code at the server's current time.
func (h *harness) code(p person) string {
	c, err := secret.TOTPCode(p.secret, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// client is a browser: a cookie jar, redirects not followed.
type client struct {
	h    *harness
	http *http.Client
}

func (h *harness) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// session gives a new client a session at stage for p directly in the
// database, skipping the sign-in pages (which have their own tests).
func (h *harness) session(p person, stage review.SessionStage) (*client, string) {
	h.t.Helper()
	return h.sessionIn(p, stage, h.srv.cookies.Codecs...)
}

// sessionIn is session with the cookie written by codecs.
func (h *harness) sessionIn(p person, stage review.SessionStage, codecs ...securecookie.Codec) (*client, string) {
	h.t.Helper()
	id, _ := secret.Token(rand.Reader, 32)
	csrf, _ := secret.Token(rand.Reader, 32)
	now := h.clock.Now()
	s := review.Session{IDHash: secret.Digest(id), UserID: p.ID, Stage: stage, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now}
	if err := h.db.StartSession(context.Background(), "", s, nil); err != nil {
		h.t.Fatal(err)
	}
	enc, err := securecookie.EncodeMulti(cookieName, map[any]any{cookieKey: id}, codecs...)
	if err != nil {
		h.t.Fatal(err)
	}
	c := h.client()
	u, _ := url.Parse(h.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: enc, Path: "/"}})
	return c, csrf
}

// response is a fetched page, parsed when it is HTML.
type response struct {
	*http.Response
	doc  *goquery.Document
	body string
}

func (c *client) do(req *http.Request) response {
	c.h.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := response{Response: res, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.doc, _ = goquery.NewDocumentFromReader(strings.NewReader(r.body))
	}
	return r
}

func (c *client) get(path string) response {
	req, _ := http.NewRequest("GET", c.h.ts.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	req, _ := http.NewRequest("POST", c.h.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// csrf reads the form token from a page.
func (r response) csrf() string {
	v, _ := r.doc.Find(`input[name="csrf"]`).First().Attr("value")
	return v
}

// testid returns the trimmed text of the element with data-testid=id.
func (r response) testid(id string) string {
	if r.doc == nil {
		return ""
	}
	return strings.TrimSpace(r.doc.Find(`[data-testid="` + id + `"]`).Text())
}

// signIn walks the sign-in pages for an enrolled person and returns a
// fully signed-in client and its CSRF token.
func (h *harness) signIn(p person) (*client, string) {
	h.t.Helper()
	c := h.client()
	res := c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/2fa" {
		h.t.Fatalf("password step: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.get("/signin/2fa")
	res = c.post("/signin/2fa", url.Values{"code": {h.code(p)}, "csrf": {page.csrf()}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		h.t.Fatalf("code step: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.testid("error"))
	}
	home := c.get("/")
	if home.StatusCode != http.StatusOK {
		h.t.Fatalf("home after sign-in: %d", home.StatusCode)
	}
	h.clock.Advance(30 * time.Second) // the next sign-in needs a fresh code
	return c, home.csrf()
}
