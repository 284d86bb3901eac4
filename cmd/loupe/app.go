package main

import (
	"context"
	"crypto/rand"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/matching"
	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/storage/vault"
)

// app is the wiring shared by subcommands: the data directory, its
// database and media vault, and the domain services on top.
type app struct {
	dir      string
	db       *storage.DB
	vault    *vault.Vault
	accounts *review.Accounts
	ingester *review.Ingester
	reviews  *review.Reviewing
	hashes   *review.HashLists
}

// openApp creates the data directory (0700) if needed, or tightens it to
// 0700, opens the database (loc.Database, a postgres:// URL, or when "" the
// SQLite file in the data directory: 0600, with its -wal and -shm) and the
// vault (see openMedia), and creates the master key file (0600) on first
// start unless LOUPE_MASTER_KEY is set.
func openApp(ctx context.Context, loc location, e env) (*app, error) {
	dir, database := loc.Data, loc.Database
	if err := privateDir(dir, e.stderr); err != nil {
		return nil, err
	}
	media, err := openMedia(ctx, loc, e)
	if err != nil {
		return nil, err
	}
	key, err := vault.LoadOrCreateMasterKey(filepath.Join(dir, "master.key"), e.getenv("LOUPE_MASTER_KEY"), rand.Reader)
	if err != nil {
		return nil, err
	}
	v, err := vault.New(media, key, rand.Reader)
	if err != nil {
		return nil, err
	}
	auditKey, err := vault.DeriveKey(key, review.AuditKeyLabel)
	if err != nil {
		return nil, err
	}
	sqlite := database == ""
	if sqlite {
		database = filepath.Join(dir, "loupe.db")
	}
	db, err := storage.Open(ctx, database, time.Now, auditKey)
	if err != nil {
		return nil, err
	}
	if sqlite {
		if err := privateFiles(database, database+"-wal", database+"-shm"); err != nil {
			db.Close()
			return nil, err
		}
	}
	hashes := &review.HashLists{Store: db, Matcher: matching.New()}
	if err := hashes.Load(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Imported items are decided by known-material rules as ingested ones are.
	auto := &review.Automator{Store: db, Reviews: db, Items: db, Queues: db, Rules: db, Lists: db, Log: slog.Default(), Now: time.Now, Random: rand.Reader}
	return &app{
		dir: dir, db: db, vault: v, hashes: hashes,
		accounts: &review.Accounts{Users: db, Audit: db, Attempts: db, Secrets: v, Policy: review.DefaultSignInPolicy,
			Hashing: review.NewSlots(review.DefaultSlots(), review.DefaultWait), Codes: review.NewSlots(review.DefaultSlots(), review.DefaultWait),
			Now: time.Now, Random: rand.Reader},
		ingester: &review.Ingester{Items: db, Rules: db, Queues: db, Vault: v, Limits: review.DefaultIngestLimits, Random: rand.Reader, Matcher: hashes,
			Clusters: &review.ClusterIndex{Store: db}, Automation: auto},
		reviews: &review.Reviewing{Store: db, Queues: db, Items: db, Exposure: db, Hashes: hashes, Clusters: db,
			Now: time.Now, Random: rand.Reader, LeaseFor: review.DefaultLease},
	}, nil
}

func (a *app) Close() error { return a.db.Close() }

// freeBytes reports the free space where media is written.
func (a *app) freeBytes() (uint64, error) { return vault.FreeBytes(a.dir) }
