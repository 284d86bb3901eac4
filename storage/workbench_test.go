package storage

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// Issue #15's workbench settings (migration 014), on every engine.

func TestCategoryDefsAreReplacedWhole(t *testing.T) { eachEngine(t, testCategoryDefsAreReplacedWhole) }

func testCategoryDefsAreReplacedWhole(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	q, err := db.CreateQueue(ctx, review.NewQueue("cats"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	set := func(defs ...review.CategoryDef) {
		t.Helper()
		if err := db.SetCategoryDefs(ctx, q.ID, defs, review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	set(review.CategoryDef{Code: "A1", Definition: "first"}, review.CategoryDef{Code: "B2", Definition: "second"})
	set(review.CategoryDef{Code: "B2", Definition: "changed"}, review.CategoryDef{Code: "C3", Definition: "new"})
	got, err := db.FindCategoryDefs(ctx, q.ID)
	if want := map[string]string{"B2": "changed", "C3": "new"}; err != nil || !maps.Equal(got, want) {
		t.Errorf("definitions %v (%v), want %v", got, err, want)
	}
	err = db.SetCategoryDefs(ctx, q.ID+100, []review.CategoryDef{{Code: "A1", Definition: "x"}}, review.AuditEvent{Action: "test"})
	if !errors.Is(err, review.ErrNotFound) {
		t.Errorf("definitions of a missing queue: %v, want not found", err)
	}
}

func TestAlertAcksAreReplaced(t *testing.T) { eachEngine(t, testAlertAcksAreReplaced) }

func testAlertAcksAreReplaced(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	a, b := createUser(t, db, "a@example.org", review.RoleReviewer), createUser(t, db, "b@example.org", review.RoleReviewer)
	ack := func(userID int64, key, note string) {
		t.Helper()
		if err := db.AckAlert(ctx, review.AlertAck{UserID: userID, Key: key, Note: note, By: "w@example.org", At: c.Now()}, review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	ack(a.ID, "long-day:2026-11-26", "talked")
	c.Advance(time.Hour)
	ack(a.ID, "long-day:2026-11-26", "talked again")
	ack(b.ID, "streak:2026-11-20", "")
	all, err := db.FindAlertAcks(ctx, 0)
	if err != nil || len(all) != 2 || len(all[a.ID]) != 1 {
		t.Fatalf("acknowledgements %v (%v), want one for each person", all, err)
	}
	if got := all[a.ID]["long-day:2026-11-26"]; got.Note != "talked again" || !got.At.Equal(c.Now()) {
		t.Errorf("the second acknowledgement did not replace the first: %+v", got)
	}
	if mine, _ := db.FindAlertAcks(ctx, b.ID); len(mine) != 1 || len(mine[b.ID]) != 1 {
		t.Errorf("one person's acknowledgements: %v", mine)
	}
}

func TestOneTimePasswordMustBeChanged(t *testing.T) { eachEngine(t, testOneTimePasswordMustBeChanged) }

func testOneTimePasswordMustBeChanged(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	u := createUser(t, db, "p@example.org", review.RoleReviewer)
	if u.MustChangePassword {
		t.Fatal("a new person must change their password")
	}
	for _, oneTime := range []bool{true, false} {
		hash := "new"
		got, err := db.UpdateUser(ctx, u.ID, review.UserUpdate{PasswordHash: &hash, OneTime: oneTime}, review.AuditEvent{Action: "test"})
		if err != nil || got.MustChangePassword != oneTime {
			t.Errorf("after a password set with OneTime %v: must change %v (%v)", oneTime, got.MustChangePassword, err)
		}
		if again, _ := db.FindUserByID(ctx, u.ID); again.MustChangePassword != oneTime {
			t.Errorf("read back: must change %v, want %v", again.MustChangePassword, oneTime)
		}
	}
}
