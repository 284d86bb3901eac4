package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/loupe-review/loupe/storage"
)

// leaseCheck is how often an instance checks it still holds a singleton
// lease, and how often the others try to take a free one: when the
// holder dies, its work moves to another instance within about this long.
const leaseCheck = 5 * time.Second

// singleton runs work (which loops until its context ends) while this
// instance holds the named lease, checking it every check: on PostgreSQL,
// report sending, callback deliveries and sweeps run on one instance at a
// time, and another takes them over when that one dies. On SQLite the one
// instance always holds it.
func singleton(ctx context.Context, db *storage.DB, name string, check time.Duration, log *slog.Logger, work func(ctx context.Context)) {
	for ctx.Err() == nil {
		lease, ok, err := db.TryLease(ctx, name)
		if err != nil && ctx.Err() == nil {
			log.Error("singleton work: take lease", "work", name, "err", err)
		}
		if ok {
			runHeld(ctx, lease, name, check, log, work)
		}
		select {
		case <-ctx.Done():
		case <-time.After(check):
		}
	}
}

// runHeld runs work until ctx ends or the lease is lost, then releases it.
func runHeld(ctx context.Context, lease *storage.Lease, name string, check time.Duration, log *slog.Logger, work func(ctx context.Context)) {
	defer lease.Release()
	held, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(held)
	}()
	defer func() { stop(); <-done }()
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
			if err := lease.Check(ctx); err != nil && ctx.Err() == nil {
				log.Warn("singleton work stopped: lease lost; another instance takes it over", "work", name, "err", err)
				return
			}
		}
	}
}
