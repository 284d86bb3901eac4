package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

// sourceID returns the id of the named source, creating it if new.
func (db *DB) sourceID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE name = ?`, name).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, translate(err, "find source %s", name)
	}
	// Another instance may create it at the same moment: then its id is
	// the one to use.
	if _, err := tx.ExecContext(ctx, `INSERT INTO sources (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, fmtTime(db.Now())); err != nil {
		return 0, translate(err, "create source %s", name)
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE name = ?`, name).Scan(&id)
	return id, translate(err, "find source %s", name)
}

// CreateToken stores a token's digest for source, creating the source if new.
func (db *DB) CreateToken(ctx context.Context, name, source, scope, digest, createdBy string, ev review.AuditEvent) (review.APIToken, error) {
	t := review.APIToken{Name: name, Source: source, Scope: scope, CreatedBy: createdBy, CreatedAt: db.Now().UTC()}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if t.SourceID, err = db.sourceID(ctx, tx, source); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, source_id, scope, digest, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			name, t.SourceID, scope, digest, createdBy, fmtTime(t.CreatedAt)).Scan(&t.ID)
		if err != nil {
			return translate(err, "create token %s", name)
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return t, err
}

const tokenColumns = `t.id, t.name, t.source_id, s.name, t.scope, t.created_by, t.created_at, t.last_used_at, t.revoked_at`

func scanToken(row rowScanner) (review.APIToken, error) {
	var t review.APIToken
	var created, used, revoked string
	err := row.Scan(&t.ID, &t.Name, &t.SourceID, &t.Source, &t.Scope, &t.CreatedBy, &created, &used, &revoked)
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = parseTime(created), parseTime(used), parseTime(revoked)
	return t, err
}

// FindTokenByDigest returns the token with that digest, revoked or not.
func (db *DB) FindTokenByDigest(ctx context.Context, digest string) (review.APIToken, error) {
	t, err := scanToken(db.r.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN sources s ON s.id = t.source_id WHERE t.digest = ?`, digest))
	return t, translate(err, "find token")
}

// FindTokens lists every token, newest first.
func (db *DB) FindTokens(ctx context.Context) ([]review.APIToken, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN sources s ON s.id = t.source_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, translate(err, "find tokens")
	}
	defer rows.Close()
	var out []review.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, translate(err, "scan token")
		}
		out = append(out, t)
	}
	return out, translate(rows.Err(), "find tokens")
}

// RevokeToken stops a token from working, at once.
func (db *DB) RevokeToken(ctx context.Context, name string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at = ''`, fmtTime(db.Now()), name)
		if err != nil {
			return translate(err, "revoke token %s", name)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: no active token named %s: %w", name, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// TouchToken records when a token was last used (at most once a minute
// matters, so callers may skip it).
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return db.exec(ctx, "touch token", `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, fmtTime(at), id)
}

const sourceColumns = `id, name, callback_url, callback_secret IS NOT NULL, created_at`

func scanSource(row rowScanner) (review.Source, error) {
	var s review.Source
	var created string
	err := row.Scan(&s.ID, &s.Name, &s.CallbackURL, &s.HasSecret, &created)
	s.CreatedAt = parseTime(created)
	return s, err
}

// FindSources lists every source by name.
func (db *DB) FindSources(ctx context.Context) ([]review.Source, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, translate(err, "find sources")
	}
	defer rows.Close()
	var out []review.Source
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, translate(err, "scan source")
		}
		out = append(out, s)
	}
	return out, translate(rows.Err(), "find sources")
}

// FindSourceByName returns the named source, or review.ErrNotFound.
func (db *DB) FindSourceByName(ctx context.Context, name string) (review.Source, error) {
	s, err := scanSource(db.r.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE name = ?`, name))
	return s, translate(err, "find source %s", name)
}

// SetCallback sets a source's callback URL and sealed secret.
func (db *DB) SetCallback(ctx context.Context, sourceID int64, url string, sealedSecret []byte, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET callback_url = ?, callback_secret = ? WHERE id = ?`, url, sealedSecret, sourceID)
		if err != nil {
			return translate(err, "set callback of source %d", sourceID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: source %d: %w", sourceID, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindCallbackSecret returns a source's sealed callback secret.
func (db *DB) FindCallbackSecret(ctx context.Context, sourceID int64) (string, []byte, error) {
	var url string
	var sealed []byte
	err := db.r.QueryRowContext(ctx, `SELECT callback_url, callback_secret FROM sources WHERE id = ?`, sourceID).Scan(&url, &sealed)
	return url, sealed, translate(err, "find callback of source %d", sourceID)
}

// EnsureSource returns the named source, creating it if new.
func (db *DB) EnsureSource(ctx context.Context, name string) (review.Source, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := db.sourceID(ctx, tx, name)
		return err
	})
	if err != nil {
		return review.Source{}, err
	}
	return db.FindSourceByName(ctx, name)
}
