package storage

import (
	"context"
	"testing"
)

// Vacuum may not truncate the tables that fill and empty as reviews go:
// truncating one takes its exclusive lock, and every audited write of
// every instance waits behind it (PostgreSQL).
func TestVacuumDoesNotTruncateQueueTables(t *testing.T) {
	db, _ := openPostgresTest(t)
	for _, table := range []string{"audit_pending", "pending_decisions"} {
		var kept bool
		err := db.w.QueryRowContext(context.Background(), `SELECT 'vacuum_truncate=false' = ANY(COALESCE(reloptions, '{}')) FROM pg_class WHERE oid = ?::regclass`, table).Scan(&kept)
		if err != nil || !kept {
			t.Errorf("%s: vacuum may truncate it (%v)", table, err)
		}
	}
}
