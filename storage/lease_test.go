package storage

import (
	"context"
	"testing"
	"time"
)

// TestLeaseMovesWhenItsHolderDies: one instance at a time holds a
// singleton lease; when the holder's connection dies (as when its process
// is killed) another instance takes it over.
func TestLeaseMovesWhenItsHolderDies(t *testing.T) {
	dbs, _ := instances(t, 2)
	a, b := dbs[0], dbs[1]
	ctx := context.Background()
	la, ok, err := a.TryLease(ctx, "report-sender")
	if err != nil || !ok {
		t.Fatalf("A: %v, %v", ok, err)
	}
	if _, ok, err := b.TryLease(ctx, "report-sender"); err != nil || ok {
		t.Fatalf("B took the lease A holds: %v, %v", ok, err)
	}
	if _, ok, err := b.TryLease(ctx, "sweep"); err != nil || !ok {
		t.Fatalf("B could not take another lease: %v, %v", ok, err)
	}
	// A dies: the server drops its session.
	if _, err := b.w.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND granted`, uint32(leaseKey("report-sender"))); err != nil {
		t.Fatal(err)
	}
	if err := la.Check(ctx); err == nil {
		t.Error("A's lease still checks out after its session died")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		lb, ok, err := b.TryLease(ctx, "report-sender")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if err := lb.Check(ctx); err != nil {
				t.Error(err)
			}
			lb.Release()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("B never took the lease over")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Released, it is free again at once.
	if l, ok, err := a.TryLease(ctx, "report-sender"); err != nil || !ok {
		t.Errorf("after B released it, A: %v, %v", ok, err)
	} else {
		l.Release()
	}
}

// TestLeaseOnSQLiteIsAlwaysHeld: the one process on a SQLite file holds
// every lease.
func TestLeaseOnSQLiteIsAlwaysHeld(t *testing.T) {
	db, _ := openTest(t)
	for range 2 {
		l, ok, err := db.TryLease(context.Background(), "sweep")
		if err != nil || !ok || l.Check(context.Background()) != nil {
			t.Fatalf("%v, %v", ok, err)
		}
	}
}
