package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage"
)

// app is the wiring shared by subcommands: the data directory, its
// database, and the account service on top.
type app struct {
	db       *storage.DB
	accounts *review.Accounts
}

// openApp creates the data directory (0700) if needed and opens its database.
func openApp(ctx context.Context, dir string) (*app, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	db, err := storage.Open(ctx, filepath.Join(dir, "loupe.db"), time.Now)
	if err != nil {
		return nil, err
	}
	return &app{db: db, accounts: &review.Accounts{
		Users: db, Audit: db, Throttle: db, Policy: review.DefaultSignInPolicy, Now: time.Now, Random: rand.Reader,
	}}, nil
}

func (a *app) Close() error { return a.db.Close() }
