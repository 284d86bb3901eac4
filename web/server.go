package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gorilla/sessions"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
	"github.com/loupe-review/loupe/static"
)

// Store is everything the web layer needs from storage.
type Store interface {
	review.UserStore
	review.SessionStore
	review.AttemptStore
	review.AuditLog
	review.SourceStore
	review.ItemStore
	review.RuleStore
	review.OutboxStore
	review.QueueStore
	review.ReviewStore
	review.ClusterStore
	review.ClusterSource
	review.ExposureStore
	review.HashListStore
	review.AutomationStore
	review.WellbeingStore
	review.WellbeingReader
	review.AlertStore
	review.CategoryStore
	review.CaseStore
	FindSettings(ctx context.Context, keys []string) (map[string]string, error)
	review.HoldStore
	FindBreaks(ctx context.Context, userID int64, since time.Time) ([]review.Break, error)
	review.MetricsStore
	review.QualityStore
	CreateQueue(ctx context.Context, q review.Queue, ev review.AuditEvent) (review.Queue, error)
	UpdateQueue(ctx context.Context, q review.Queue, ev review.AuditEvent) error
	FindQueues(ctx context.Context) ([]review.Queue, error)
	SetMember(ctx context.Context, queueID, userID int64, member bool, ev review.AuditEvent) error
	FindMembers(ctx context.Context, queueID int64) ([]review.User, error)
	FindQueueStats(ctx context.Context, q review.Queue, now time.Time) (review.QueueStats, error)
	FindWaitingPage(ctx context.Context, f review.WaitingFilter) (review.WaitingPage, error)
	ApplyBulk(ctx context.Context, b review.BulkChange) (int, error)
	SearchItems(ctx context.Context, q review.SearchQuery) (review.SearchResults, error)
	UploaderHistory(ctx context.Context, it review.Item) (map[review.Verdict]int, error)
	CountWaiting(ctx context.Context, queueID int64, now time.Time, upTo int) (int, error)
	CountDecisionsSince(ctx context.Context, userID int64, since time.Time) (int, error)
	FindUploaderHistory(ctx context.Context, it review.Item) (review.UploaderHistory, error)
	FindItemByMediaID(ctx context.Context, mediaID string) (review.Item, error)
	ReleaseUserLeases(ctx context.Context, userID int64, now time.Time) error
	FindQueueID(ctx context.Context, name string) (int64, error)
	FindQueueRefs(ctx context.Context) ([]review.QueueRef, error)
	Ping(ctx context.Context) error
}

// Config holds the web layer's settings.
type Config struct {
	// SecureCookies marks cookies Secure; set when serving TLS or behind a TLS proxy.
	SecureCookies bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// (the per-IP sign-in throttle counts the address it names).
	TrustedProxies []netip.Prefix
	// CookieKeys are the gorilla/securecookie hash key (32 or 64 bytes) and
	// block key (32 bytes) that authenticate and encrypt the session cookie.
	CookieKeys [2][]byte
	// Ingest limits: per file and pixels (review.IngestLimits), per request,
	// and the free disk space below which ingest answers 503.
	Limits          review.IngestLimits
	MaxRequestBytes int64
	MinFreeBytes    uint64
	// ReportEnvironment is the CyberTipline endpoint reports go to: "test"
	// or "production"; "" when none is configured.
	ReportEnvironment string
	// Outbound is what callback URLs may point at; the senders' clients
	// are built from the same policy.
	Outbound egress.Policy
	// Timeouts are the http.Server's (NewHTTPServer); the routes that move
	// files pace their own deadlines from them.
	Timeouts Timeouts
	// SignInSlots is how many sign-in checks run at once (see review.Slots);
	// SignInWait is how long a sign-in waits for its turn before the answer
	// is 503 with Retry-After.
	SignInSlots int
	SignInWait  time.Duration
}

// DefaultConfig holds the documented defaults; callers set the keys.
func DefaultConfig() Config {
	return Config{Limits: review.DefaultIngestLimits, MaxRequestBytes: 100 << 20, MinFreeBytes: 1 << 30, Timeouts: DefaultTimeouts,
		SignInSlots: review.DefaultSlots(), SignInWait: review.DefaultWait}
}

// Deps are the server's collaborators. Time and randomness are injected so
// tests control TOTP, lockouts, session expiry and secrets.
type Deps struct {
	Store  Store
	Vault  review.Vault
	Sealer review.Sealer
	// Hashes holds the hash lists and their matcher, loaded from Store.
	Hashes *review.HashLists
	Log    *slog.Logger
	Now    func() time.Time
	Random io.Reader
	// FreeBytes reports the free space where media is written.
	FreeBytes func() (uint64, error)
}

// Server serves Loupe's pages and API.
type Server struct {
	cfg      Config
	store    Store
	sealer   review.Sealer
	accounts *review.Accounts
	ingester *review.Ingester
	reviews  *review.Reviewing
	quality  *review.Quality
	hashes   *review.HashLists
	// automation decides known material at ingest.
	automation *review.Automator
	// wellbeing enforces budgets and breaks (through reviews too).
	wellbeing *review.Wellbeing
	reporting *review.Reporting
	cookies   *sessions.CookieStore
	assets    *static.Assets
	log       *slog.Logger
	now       func() time.Time
	random    io.Reader
	free      func() (uint64, error)
	media     *mediaCheck // for /readyz
	handler   http.Handler
	patterns  []string // every registered route, for the authorization test
	metrics   *metrics
}

// New builds a server.
func New(cfg Config, d Deps) *Server {
	s := &Server{
		cfg: cfg, store: d.Store, sealer: d.Sealer, hashes: d.Hashes, assets: static.New(),
		log: d.Log, now: d.Now, random: d.Random, free: d.FreeBytes,
		accounts: &review.Accounts{
			Users: d.Store, Audit: d.Store, Attempts: d.Store, Secrets: d.Sealer, Policy: review.DefaultSignInPolicy,
			Hashing: review.NewSlots(cfg.SignInSlots, cfg.SignInWait), Codes: review.NewSlots(cfg.SignInSlots, cfg.SignInWait),
			Now: d.Now, Random: d.Random,
		},
		ingester: &review.Ingester{
			Items: d.Store, Rules: d.Store, Queues: d.Store, Vault: d.Vault, Limits: cfg.Limits, Random: d.Random, Matcher: d.Hashes,
			Clusters: &review.ClusterIndex{Store: d.Store},
		},
		wellbeing: &review.Wellbeing{Store: d.Store, Now: d.Now},
		reporting: &review.Reporting{Store: d.Store, Now: d.Now, Environment: cfg.ReportEnvironment},
	}
	s.automation = NewAutomator(d.Store, d.Log, d.Now, d.Random)
	s.ingester.Automation = s.automation
	s.media = &mediaCheck{now: d.Now}
	if d.Vault != nil {
		s.media.ping = d.Vault.Ping
	}
	s.reviews = &review.Reviewing{
		Store: d.Store, Queues: d.Store, Items: d.Store, Exposure: d.Store, Hashes: d.Hashes, Wellbeing: s.wellbeing, Clusters: d.Store,
		Now: d.Now, Random: d.Random, LeaseFor: review.DefaultLease,
	}
	s.quality = &review.Quality{Store: d.Store, Reviewing: s.reviews, Automation: d.Store}
	s.cookies = sessions.NewCookieStore(cfg.CookieKeys[0], cfg.CookieKeys[1])
	useSessionCodec(s.cookies.Codecs)
	s.cookies.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(review.SessionAbsolute / time.Second),
		HttpOnly: true,
		Secure:   cfg.SecureCookies,
		// Strict: no request another site starts, a top-level navigation
		// included, carries the session (Lax let a redirect elsewhere
		// download an export bundle with a lead's session).
		SameSite: http.SameSiteStrictMode,
	}
	s.metrics = newMetrics(d.Store, d.Now, d.Log)
	s.handler = s.routes()
	return s
}

// NewAutomator is the known-material automation over store: the server
// runs it at ingest, and serve runs its re-matching as singleton work.
func NewAutomator(store Store, log *slog.Logger, now func() time.Time, random io.Reader) *review.Automator {
	return &review.Automator{Store: store, Reviews: store, Items: store, Queues: store, Rules: store, Lists: store, Log: log, Now: now, Random: random}
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
