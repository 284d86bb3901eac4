// Package storagetest gives other packages' tests what they need to run
// against a real PostgreSQL: an empty database of their own per test.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for the admin connection
)

// Env names the variable with the URL of the PostgreSQL server tests use,
// on which its user may create databases (.ci/run starts one).
const Env = "LOUPE_TEST_POSTGRES"

// Available reports whether a test server is set.
func Available() bool { return os.Getenv(Env) != "" }

// PostgresDatabase creates an empty database for one test, dropped when it
// ends, and returns its URL. It skips the test, saying why, when Env is
// not set.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	server := os.Getenv(Env)
	if server == "" {
		t.Skip(Env + " is not set: the PostgreSQL half of this test needs a server (.ci/run starts one)")
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 8)
	rand.Read(b)
	name := "loupe_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	// C collation: text sorts by its bytes, as on SQLite.
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// EngineEnv names the variable that moves packages whose tests run on one
// engine (the web harness) from SQLite to PostgreSQL: set to "postgres",
// Database returns a PostgreSQL database instead of the SQLite file.
const EngineEnv = "LOUPE_TEST_ENGINE"

// Database returns what a test should open: sqlitePath, or with
// LOUPE_TEST_ENGINE=postgres a new PostgreSQL database of its own.
func Database(t testing.TB, sqlitePath string) string {
	t.Helper()
	if os.Getenv(EngineEnv) == "postgres" {
		return PostgresDatabase(t)
	}
	return sqlitePath
}
