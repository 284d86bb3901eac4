package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/vault"
	"github.com/loupe-review/loupe/web"
)

func cmdServe(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "serve", "serve [flags]")
	c.registerServe(fs, e)
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	log, err := c.logger(e)
	if err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	scheme := "http://"
	if c.TLSCert != "" {
		scheme = "https://"
	}
	log.Info("loupe is listening", "url", scheme+ln.Addr().String(), "data", c.Data, "media", a.vault.Store().String(), "database", a.db.Engine())
	return serve(ctx, c, a, ln, log)
}

// serve runs the web server on ln until SIGINT or SIGTERM, then lets
// requests in flight finish.
func serve(ctx context.Context, c config, a *app, ln net.Listener, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	keys, err := a.db.ServerSecret(ctx, "cookie-keys", 64, rand.Reader)
	if err != nil {
		return err
	}
	if dir, ok := a.vault.Store().(*vault.Dir); ok { // a bucket keeps no half-written objects
		if n, err := dir.CleanTemp(time.Now()); err != nil {
			return err
		} else if n > 0 {
			log.Warn("removed unfinished media files left by a crash", "count", n)
		}
	}
	cfg := web.DefaultConfig()
	if cfg.TrustedProxies, err = c.proxies(); err != nil {
		return err
	}
	cfg.SecureCookies, cfg.CookieKeys = c.SecureCookies || c.TLSCert != "", [2][]byte{keys[:32], keys[32:]}
	cfg.MinFreeBytes = c.MinFreeMB << 20
	cfg.Limits.Workers = spareProcessor()
	cfg.Limits.MaxMedia, cfg.Limits.DecodeMemory = c.MaxMedia, c.DecodeMemoryMB<<20
	cfg.Timeouts = c.timeouts()
	cfg.SignInSlots = min(cfg.Limits.Workers, review.MaxSlots) // one per CPU, not per spare processor
	cfg.ReportEnvironment = c.NCMEC.environment()
	cfg.Outbound = c.outbound()
	if cfg.Outbound.AllowInsecure {
		log.Warn("--allow-insecure-outbound: callbacks and reports may use http:// and reach internal addresses; for local testing only")
	}
	srv := web.New(cfg, web.Deps{Store: a.db, Vault: a.vault, Sealer: a.vault, Hashes: a.hashes, Log: log, Now: time.Now, Random: rand.Reader, FreeBytes: a.freeBytes})
	sender := &web.CallbackSender{Store: a.db, Sealer: a.vault, Client: cfg.Outbound.Client(30 * time.Second), Log: log, Now: time.Now}
	reports := reportSender(a, c.NCMEC, cfg.Outbound, log)
	go singleton(ctx, a.db, "callbacks", leaseCheck, log, func(ctx context.Context) { sender.Run(ctx, 2*time.Second) })
	go singleton(ctx, a.db, "reports", leaseCheck, log, func(ctx context.Context) { runReportSender(ctx, reports, 10*time.Second, log) })
	go singleton(ctx, a.db, "sweep", leaseCheck, log, func(ctx context.Context) { sweep(ctx, a, log) })
	go a.db.ListenHashLists(ctx, func() {
		if err := a.hashes.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Error("refresh hash lists", "err", err)
		}
	}, func(err error) { log.Warn("hash-list listener, reconnecting", "err", err) })
	hs := web.NewHTTPServer(srv, cfg.Timeouts, log)
	ln = web.LimitListener(ln, c.MaxConns, log)
	go singleton(ctx, a.db, "settle", leaseCheck, log, func(ctx context.Context) { settle(ctx, a, log) })
	go singleton(ctx, a.db, "rematch", leaseCheck, log, func(ctx context.Context) { rematch(ctx, web.NewAutomator(a.db, log, time.Now, rand.Reader), log) })
	go chainAudit(ctx, a, log)
	errc := make(chan error, 2)
	var ms *http.Server
	if c.MetricsAddr != "" {
		if ms, err = serveMetrics(c.MetricsAddr, srv, cfg.Timeouts, log, errc); err != nil {
			return err
		}
	}
	go func() {
		if c.TLSCert != "" {
			errc <- hs.ServeTLS(ln, c.TLSCert, c.TLSKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if ms != nil {
		ms.Close() // scrapes are cheap to lose
	}
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// settle, every second, sends on what decisions hold back for their undo
// window (callbacks, report cases, hash proposals) once the window ends.
func settle(ctx context.Context, a *app, log *slog.Logger) {
	every(ctx, time.Second, func() {
		if _, err := a.db.SettleDecisions(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("settle decisions", "err", err)
		}
	})
}

// rematch, every two seconds, matches the waiting items again against
// what each hash list gained or lost since its cursor, whichever instance
// or command changed it (see review.Automator.Rematch). It runs as
// singleton work so that a change is re-matched once however many
// instances share the database, and from the cursor in the database so
// that a change made while no instance ran, or a pass a crash cut short,
// is picked up at the next start.
func rematch(ctx context.Context, auto *review.Automator, log *slog.Logger) {
	every(ctx, 2*time.Second, func() {
		res, err := auto.Rematch(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("re-match waiting items", "err", err)
		}
		if res.Items > 0 {
			log.Info("re-matched waiting items after a hash-list change", "lists", res.Lists, "items", res.Items, "moved", res.Moved, "decided", res.Decided)
		}
	})
}

// chainAudit, every 200 ms, chains the audit entries this and the other
// instances wrote since (on PostgreSQL; nothing to do on SQLite). Every
// instance runs it, not one holding a lease: a run that finds another
// instance chaining skips (that run takes this one's entries too), a run
// that finds nothing waiting is one small read, and the chain does not
// stall while a lease changes hands after an instance dies.
func chainAudit(ctx context.Context, a *app, log *slog.Logger) {
	every(ctx, 200*time.Millisecond, func() {
		c, err := a.db.TryChainPending(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("chain audit entries", "err", err)
		}
		if c.Altered > 0 {
			log.Error("audit entries were changed in the database while they waited to be chained; the chain records what was found", "count", c.Altered, "action", review.ActionAuditAltered)
		}
	})
}

// sweep, every minute, closes reveals whose page never reported back (at
// their policy cap) and deletes expired sessions. Session expiry is checked
// on every request anyway; this keeps the table small. Once an hour (first
// a minute after start) it purges what the retention policy lets go and
// logs the audit chain's head, for a log shipper to anchor.
func sweep(ctx context.Context, a *app, log *slog.Logger) {
	n := 0
	every(ctx, time.Minute, func() {
		if n%60 == 0 {
			purgeAndLog(ctx, a, log)
			logAuditHead(ctx, a, log)
		}
		n++
		if _, err := a.db.CloseStaleExposures(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("close stale exposures", "err", err)
		}
		if _, err := a.db.DeleteExpiredSessions(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("sweep sessions", "err", err)
		}
	})
}

// every runs fn at each tick of interval until ctx ends: the loop of the
// background work serve starts.
func every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}
