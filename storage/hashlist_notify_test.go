package storage

import (
	"context"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/matching"
)

// TestHashListApprovalReachesAnotherInstance: a lead approves a proposal
// through instance A; within a second instance B's matcher (what its
// ingest consults) matches the hash, told by LISTEN/NOTIFY.
func TestHashListApprovalReachesAnotherInstance(t *testing.T) {
	dbs, c := instances(t, 2)
	a, b := dbs[0], dbs[1]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hashesB := &review.HashLists{Store: b, Matcher: matching.New()}
	if err := hashesB.Load(ctx); err != nil {
		t.Fatal(err)
	}
	listening := make(chan struct{}, 100)
	go b.ListenHashLists(ctx, func() {
		if err := hashesB.Refresh(ctx); err != nil && ctx.Err() == nil {
			t.Error(err)
		}
		listening <- struct{}{}
	}, func(err error) { t.Error(err) })
	<-listening // connected, caught up

	list, err := a.CreateHashList(ctx, review.HashList{Name: "known", Kind: "block", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	reviewer, lead := reviewers(t, a, 2)[0], createUser(t, a, "lead@example.org", review.RoleLead)
	q := seedItems(t, a, 1, review.NewQueue("q"))
	items, _ := a.FindWaiting(ctx, q.ID, 1)
	const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	var proposal int64
	err = a.w.QueryRow(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?, ?, 'first', 'violating', 1, ?) RETURNING id`,
		items[0].ID, reviewer, fmtTime(c.Now())).Scan(&proposal)
	if err == nil {
		err = a.w.QueryRow(`INSERT INTO hash_proposals (list_id, item_id, decision_id, reviewer_id, hash_type, value, created_at) VALUES (?, ?, ?, ?, 'sha256', ?, ?) RETURNING id`,
			list.ID, items[0].ID, proposal, reviewer, sha, fmtTime(c.Now())).Scan(&proposal)
	}
	if err != nil {
		t.Fatal(err)
	}
	if m := hashesB.Match("m1", "", sha, nil); len(m) != 0 {
		t.Fatalf("matched before the approval: %+v", m)
	}
	if _, err := a.DecideProposals(ctx, list.ID, []int64{proposal}, true, lead, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for len(hashesB.Match("m1", "", sha, nil)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("instance B does not match the approved hash a second after the approval")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Retracting it on A stops B matching it, too.
	entries, _ := a.FindEntries(ctx, list.ID, review.EntryFilter{Status: hashlist.Active})
	if _, err := a.RetractEntries(ctx, []int64{entries[0].ID}, "mistake", "lead@example.org", review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(time.Second)
	for len(hashesB.Match("m1", "", sha, nil)) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("instance B still matches the retracted hash a second after the retraction")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
