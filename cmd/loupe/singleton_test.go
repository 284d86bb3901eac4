package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/storage/storagetest"
)

// TestSingletonWorkMovesToAnotherInstance: two instances on one
// PostgreSQL database run the same singleton work; only one runs it at a
// time, and when that one shuts down the other takes the work over. (A
// holder that dies loses its lease with its connection: see
// storage.TestLeaseMovesWhenItsHolderDies.)
func TestSingletonWorkMovesToAnotherInstance(t *testing.T) {
	url := storagetest.PostgresDatabase(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var running, most atomic.Int32
	var ran [2]atomic.Bool
	work := func(i int) func(ctx context.Context) {
		return func(ctx context.Context) {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			ran[i].Store(true)
			<-ctx.Done()
		}
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	ctxs := make([]context.CancelFunc, 2)
	dbs := make([]*storage.DB, 2)
	for i := range 2 {
		db, err := storage.Open(context.Background(), url, time.Now, make([]byte, 32))
		if err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
		ctx, cancel := context.WithCancel(context.Background())
		ctxs[i] = cancel
		go singleton(ctx, db, "sweep", 50*time.Millisecond, log, work(i))
		eventually("instance A never ran the work", ran[0].Load) // A takes it first
	}
	time.Sleep(300 * time.Millisecond) // B tries six times meanwhile
	if ran[1].Load() {
		t.Fatal("instance B ran the work while A held it")
	}
	ctxs[0]() // instance A shuts down
	dbs[0].Close()
	eventually("instance B never took the work over", ran[1].Load)
	ctxs[1]()
	dbs[1].Close()
	if most.Load() != 1 {
		t.Errorf("the work ran on %d instances at once", most.Load())
	}
}

// TestSingletonWorkRunsOnSQLite: the one instance on a SQLite file runs it.
func TestSingletonWorkRunsOnSQLite(t *testing.T) {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "loupe.db"), time.Now, make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go singleton(ctx, db, "sweep", time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)), func(ctx context.Context) { close(ran); <-ctx.Done() })
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the work never ran")
	}
	cancel()
}
