package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// auditDir is a data directory whose audit log has three entries.
func auditDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		if code, _, errOut := loupe(t, dir, "", "user", "add", "--email", e, "--role", "reviewer"); code != 0 {
			t.Fatal(errOut)
		}
	}
	return dir
}

// attack edits the database file as someone with write access to it (but
// not to the master key) would: around the triggers, then, if rechain,
// recomputing every hash as a plain SHA-256 chain.
func attack(t *testing.T, dir string, rechain bool, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, "loupe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if !rechain {
		return
	}
	rows, err := db.Query(`SELECT id, at, actor, action, target, details FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var fields [][]any
	for rows.Next() {
		var id int64
		var at, actor, action, target, details string
		if err := rows.Scan(&id, &at, &actor, &action, &target, &details); err != nil {
			t.Fatal(err)
		}
		fields = append(fields, []any{id, at, actor, action, target, details})
	}
	rows.Close()
	prev := strings.Repeat("0", 64)
	for _, f := range fields {
		sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", append(f, prev)...))
		h := hex.EncodeToString(sum[:])
		if _, err := db.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`, prev, h, f[0]); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	dir := auditDir(t)
	code, out, _ := loupe(t, dir, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "3 entries") {
		t.Fatalf("intact: %d %q", code, out)
	}
	attack(t, dir, false, `UPDATE audit_log SET target = 'user:z@example.org' WHERE id = 2`)
	code, _, errOut := loupe(t, dir, "", "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "broken at entry 2") {
		t.Errorf("tampered: exit %d %q", code, errOut)
	}
}

// The attack from the hardening issue: delete an entry, change another's
// actor, recompute the chain. Both audit verify and doctor must fail.
func TestRecomputedAuditChainFailsVerifyAndDoctor(t *testing.T) {
	dir := auditDir(t)
	attack(t, dir, true, `DELETE FROM audit_log WHERE id = 2`, `UPDATE audit_log SET id = 2 WHERE id = 3`,
		`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 2`)
	code, _, errOut := loupe(t, dir, "", "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "broken at entry 1") || !strings.Contains(errOut, "master key") {
		t.Errorf("audit verify: exit %d %q", code, errOut)
	}
	code, out, _ := loupe(t, dir, "", "doctor")
	if code != 1 || !strings.Contains(out, "problem: audit chain broken at entry 1") {
		t.Errorf("doctor: exit %d %q", code, out)
	}
}

func TestAuditHeadAnchorsTheChain(t *testing.T) {
	dir := auditDir(t)
	code, out, _ := loupe(t, dir, "", "audit", "head")
	head := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^3:[0-9a-f]{64}$`).MatchString(head) {
		t.Fatalf("audit head: exit %d %q, want 3:<hash>", code, out)
	}
	loupe(t, dir, "", "user", "add", "--email", "d@example.org", "--role", "reviewer")
	for _, cmd := range [][]string{{"audit", "verify"}, {"doctor"}} {
		if code, out, errOut := loupe(t, dir, "", append(cmd, "--head", head)...); code != 0 {
			t.Errorf("%v --head on an intact log: exit %d %q %q", cmd, code, out, errOut)
		}
	}
	attack(t, dir, false, `DELETE FROM audit_log WHERE id >= 3`)
	if code, _, errOut := loupe(t, dir, "", "audit", "verify"); code != 0 {
		t.Errorf("without --head the truncated log verifies (the README says so): exit %d %q", code, errOut)
	}
	code, _, errOut := loupe(t, dir, "", "audit", "verify", "--head", head)
	if code != 1 || !strings.Contains(errOut, "newer entries were deleted") {
		t.Errorf("audit verify --head after truncation: exit %d %q", code, errOut)
	}
	code, out, _ = loupe(t, dir, "", "doctor", "--head", head)
	if code != 1 || !strings.Contains(out, "newer entries were deleted") {
		t.Errorf("doctor --head after truncation: exit %d %q", code, out)
	}
	for _, bad := range []string{"3", "3:xyz", head + "0"} {
		if code, _, errOut := loupe(t, dir, "", "audit", "verify", "--head", bad); code != 2 || !strings.Contains(errOut, "loupe audit head") {
			t.Errorf("--head %q: exit %d %q, want a usage error", bad, code, errOut)
		}
	}
}

func TestServeLogsTheAuditHead(t *testing.T) {
	dir := auditDir(t)
	_, head, _ := loupe(t, dir, "", "audit", "head")
	a, err := openApp(context.Background(), dir, "", env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var logs bytes.Buffer
	logAuditHead(context.Background(), a, slog.New(slog.NewTextHandler(&logs, nil)))
	if want := "head=" + strings.TrimSpace(head); !strings.Contains(logs.String(), "audit chain head") || !strings.Contains(logs.String(), want) {
		t.Errorf("log %q, want %q", logs.String(), want)
	}
}
