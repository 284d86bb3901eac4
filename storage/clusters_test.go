package storage

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// clusterItem stores a one-file item of q whose file has the given PDQ
// quality and size, offered the candidates.
func clusterItem(t *testing.T, db *DB, q review.Queue, name string, quality, size int, cands ...review.ClusterCandidate) review.Item {
	t.Helper()
	ctx := context.Background()
	src, err := db.EnsureSource(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	it := review.Item{SourceID: src.ID, ExternalID: name, Status: review.StatusQueued, QueueID: q.ID, Metadata: review.Metadata{ExternalID: name},
		Media:             []review.Media{{ID: "m-" + name, ContentType: "image/png", Size: 1, Width: size, Height: size, SHA256: "s-" + name, MD5: "m", PDQ: "", PDQQuality: quality}},
		ClusterCandidates: cands}
	it, err = db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestClusterLifecycle(t *testing.T) { eachEngine(t, testClusterLifecycle) }

// testClusterLifecycle: a new item joins the cluster of its first
// candidate still waiting; a claim leases the whole cluster and returns
// its representative; a member taken out goes back alone; a cluster
// decision commits one decision per member, and one undo takes them all
// back.
func testClusterLifecycle(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 2)
	q, err := db.CreateQueue(ctx, review.NewQueue("photos"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	a := clusterItem(t, db, q, "a", 60, 100)
	gone := clusterItem(t, db, q, "gone", 60, 100)
	if _, err := db.w.ExecContext(ctx, `UPDATE items SET status = 'decided' WHERE id = ?`, gone.ID); err != nil {
		t.Fatal(err)
	}
	b := clusterItem(t, db, q, "b", 90, 50, review.ClusterCandidate{ItemID: a.ID, Distance: 6, Match: review.ClusterMatchPDQ})
	stale := review.ClusterCandidate{ItemID: gone.ID, Match: review.ClusterMatchSHA256}
	cc := clusterItem(t, db, q, "c", 90, 80, stale, review.ClusterCandidate{ItemID: b.ID, Distance: 12, Match: review.ClusterMatchPDQ})
	other := clusterItem(t, db, q, "other", 70, 100)
	if b.Cluster.ID != a.ID || cc.Cluster != (review.ClusterLink{ID: a.ID, Distance: 12, Match: review.ClusterMatchPDQ}) {
		t.Fatalf("clusters: b %+v, c %+v, want both in a's (%d)", b.Cluster, cc.Cluster, a.ID)
	}
	if !slices.Equal(cc.ClusterCandidates, []review.ClusterCandidate{stale}) {
		t.Errorf("stale candidates reported: %+v", cc.ClusterCandidates)
	}
	if got, _ := db.FindItemByID(ctx, a.ID); got.Cluster.ID != a.ID {
		t.Errorf("the first item's cluster is %+v", got.Cluster)
	}
	if st, _ := db.FindClusterStats(ctx, q); len(st.Clusters) != 1 || st.Clusters[0] != (review.ClusterSize{ID: a.ID, Members: 3}) {
		t.Errorf("cluster stats %+v", st.Clusters)
	}

	until := c.Now().Add(5 * time.Minute)
	rep, err := db.ClaimItem(ctx, q.ID, r[0], c.Now(), until, review.AuditEvent{Action: "test"})
	if err != nil || rep != cc.ID { // quality 90 ties; c is the larger image
		t.Fatalf("claim: %d %v, want the representative %d", rep, err, cc.ID)
	}
	members, _ := db.FindClusterMembers(ctx, a.ID, r[0], c.Now())
	if ids := itemIDs(members); !slices.Equal(ids, []int64{cc.ID, b.ID, a.ID}) {
		t.Errorf("members %v, want %v (representative first)", ids, []int64{cc.ID, b.ID, a.ID})
	}
	if got, _ := db.ClaimItem(ctx, q.ID, r[1], c.Now(), until, review.AuditEvent{Action: "test"}); got != other.ID {
		t.Errorf("a second reviewer got %d, want the item outside the cluster %d", got, other.ID)
	}

	// Take out the cluster's first item: it waits alone; the rest keep
	// a cluster of their own.
	if err := db.SplitCluster(ctx, a.ID, r[1], c.Now(), review.AuditEvent{Action: review.ActionClusterSplit}); !errors.Is(err, review.ErrConflict) {
		t.Errorf("someone who does not hold the cluster split it: %v", err)
	}
	if err := db.SplitCluster(ctx, a.ID, r[0], c.Now(), review.AuditEvent{Action: review.ActionClusterSplit}); err != nil {
		t.Fatal(err)
	}
	ga, _ := db.FindItemByID(ctx, a.ID)
	gb, _ := db.FindItemByID(ctx, b.ID)
	if ga.Cluster.ID != 0 || ga.LeaseUserID != 0 || gb.Cluster.ID != b.ID || gb.LeaseUserID != r[0] {
		t.Errorf("after the split: a %+v held by %d; b %+v held by %d", ga.Cluster, ga.LeaseUserID, gb.Cluster, gb.LeaseUserID)
	}

	// Decide the rest together, then undo it.
	var recs []review.DecisionRecord
	for _, id := range []int64{b.ID, cc.ID} {
		d := review.Decision{ItemID: id, ReviewerID: r[0], Reviewer: "r0", Kind: review.KindFirst, Verdict: review.NotViolating, Final: true, ClusterItemID: cc.ID}
		recs = append(recs, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true},
			Now: c.Now(), EffectsDue: c.Now().Add(review.UndoWindow), Event: review.AuditEvent{Action: "test"}})
	}
	saved, err := db.RecordDecisions(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{b.ID, cc.ID} {
		ds, _ := db.FindDecisions(ctx, id)
		if len(ds) != 1 || ds[0].ClusterItemID != cc.ID || !ds[0].Final {
			t.Errorf("decisions of item %d: %+v", id, ds)
		}
	}
	if n, _ := db.countDecidedWithoutLook(ctx, q.ID); n != 1 {
		t.Errorf("decided without a look: %d, want 1 (b; c was decided on)", n)
	}
	undone, err := db.UndoDecision(ctx, saved[1].ID, r[0], c.Now(), until, review.AuditEvent{Action: review.ActionDecisionUndo})
	if err != nil || undone != cc.ID {
		t.Fatalf("undo: %d %v", undone, err)
	}
	for _, id := range []int64{b.ID, cc.ID} {
		it, _ := db.FindItemByID(ctx, id)
		if ds, _ := db.FindDecisions(ctx, id); len(ds) != 0 || it.Status != review.StatusQueued || it.LeaseUserID != r[0] {
			t.Errorf("item %d after the undo: %s held by %d, decisions %+v", id, it.Status, it.LeaseUserID, ds)
		}
	}
}

func itemIDs(items []review.Item) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func TestClusterMediaCatchUp(t *testing.T) { eachEngine(t, testClusterMediaCatchUp) }

// testClusterMediaCatchUp: the index reads a queue's waiting single-file
// items, then only those newer than what it read.
func testClusterMediaCatchUp(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	q, _ := db.CreateQueue(ctx, review.NewQueue("photos"), review.AuditEvent{Action: "test"})
	other, _ := db.CreateQueue(ctx, review.NewQueue("other"), review.AuditEvent{Action: "test"})
	a := clusterItem(t, db, q, "a", 60, 100)
	clusterItem(t, db, other, "elsewhere", 60, 100)
	all, upTo, err := db.FindClusterMedia(ctx, q.ID, 0)
	if err != nil || len(all) != 1 || all[0].ItemID != a.ID || upTo < a.ID {
		t.Fatalf("first read: %+v up to %d, %v", all, upTo, err)
	}
	b := clusterItem(t, db, q, "b", 60, 100)
	newer, _, err := db.FindClusterMedia(ctx, q.ID, upTo)
	if err != nil || len(newer) != 1 || newer[0].ItemID != b.ID || newer[0].SHA256 != "s-b" || newer[0].Quality != 60 {
		t.Errorf("catch-up: %+v %v", newer, err)
	}
}

func TestClustersMerge(t *testing.T) { eachEngine(t, testClustersMerge) }

// testClustersMerge: copies that started clusters of their own (they
// arrived at once, or missed each other by a few bits) are merged when a
// new copy matches both, unless someone holds one of them.
func testClustersMerge(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	q, err := db.CreateQueue(ctx, review.NewQueue("photos"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pdqTo := func(it review.Item, d int) review.ClusterCandidate {
		return review.ClusterCandidate{ItemID: it.ID, Distance: d, Match: review.ClusterMatchPDQ}
	}
	a := clusterItem(t, db, q, "a", 60, 100)
	b := clusterItem(t, db, q, "b", 60, 100, pdqTo(a, 20))
	alone := clusterItem(t, db, q, "alone", 60, 100)
	joiner := clusterItem(t, db, q, "joiner", 60, 100, pdqTo(a, 10), pdqTo(alone, 12))
	for _, it := range []review.Item{a, b, alone, joiner} {
		if got, _ := db.FindItemByID(ctx, it.ID); got.Cluster.ID != a.ID {
			t.Errorf("item %s is in cluster %d, want a's (%d)", it.ExternalID, got.Cluster.ID, a.ID)
		}
	}
	// A cluster someone holds keeps its items.
	held := clusterItem(t, db, q, "held", 99, 100)
	if _, err := db.w.ExecContext(ctx, `UPDATE items SET priority = 100 WHERE id = ?`, held.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil || got != held.ID {
		t.Fatalf("claim: %d %v, want %d", got, err, held.ID)
	}
	late := clusterItem(t, db, q, "late", 60, 100, pdqTo(a, 10), pdqTo(held, 12))
	if got, _ := db.FindItemByID(ctx, held.ID); got.Cluster.ID != 0 || late.Cluster.ID != a.ID {
		t.Errorf("held item's cluster %d (want none), late's %d (want a's %d)", got.Cluster.ID, late.Cluster.ID, a.ID)
	}
}
