package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/loupe-review/loupe/review"
)

// BackupTo writes a consistent snapshot of the database to path (which
// must not exist) while Loupe keeps serving: VACUUM INTO reads one
// transaction's view, so concurrent writes neither block nor tear it.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.d.name != sqliteDialect.name {
		return ErrBackupElsewhere
	}
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("storage: back up to %s: %w", path, err)
	}
	return nil
}

// ErrBackupElsewhere: a PostgreSQL database is backed up by PostgreSQL's
// own tools, which also give point-in-time recovery.
var ErrBackupElsewhere = errors.New("storage: back up a PostgreSQL database with pg_dump or continuous archiving (point-in-time recovery), not loupe backup")

// MediaObject is one stored object of a media.
type MediaObject struct {
	MediaID string
	Kind    review.MediaKind
	review.StoredObject
}

// MediaObjects lists every stored object the database knows of.
func (db *DB) MediaObjects(ctx context.Context) ([]MediaObject, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT media_id, kind, wrapped_key, sealed FROM media_objects ORDER BY media_id, kind`)
	if err != nil {
		return nil, translate(err, "list media objects")
	}
	defer rows.Close()
	var out []MediaObject
	for rows.Next() {
		var o MediaObject
		var kind string
		if err := rows.Scan(&o.MediaID, &kind, &o.Key, &o.Sealed); err != nil {
			return nil, translate(err, "scan media object")
		}
		o.Kind = review.MediaKind(kind)
		out = append(out, o)
	}
	return out, translate(rows.Err(), "list media objects")
}

// Check reports problems with the database itself: migrations behind the
// binary, broken foreign keys and SQLite's own integrity check (PostgreSQL
// enforces foreign keys and checks its pages itself), and media
// whose original is gone though retention did not purge it or a legal hold
// keeps it.
func (db *DB) Check(ctx context.Context) ([]string, error) {
	var problems []string
	var applied int
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return nil, translate(err, "read schema version")
	}
	if newest := newestMigration(); applied != newest {
		problems = append(problems, fmt.Sprintf("schema version %d, this binary expects %d", applied, newestMigration()))
	}
	if db.d.name == sqliteDialect.name {
		found, err := db.checkSQLite(ctx)
		if err != nil {
			return nil, err
		}
		problems = append(problems, found...)
	}
	missing, err := db.missingMedia(ctx)
	if err != nil {
		return nil, err
	}
	return append(problems, missing...), nil
}
