package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestClusterStats: the command lists a queue's clusters of waiting
// copies, largest first, with a size histogram; an unknown queue is a
// usage error.
func TestClusterStats(t *testing.T) {
	dir, ctx := t.TempDir(), context.Background()
	a, err := openApp(ctx, location{Data: dir}, env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.EnsureSource(ctx, "photos")
	add := func(name string, join int64) int64 {
		it := review.Item{SourceID: src.ID, ExternalID: name, Status: review.StatusQueued, QueueID: q.ID, Metadata: review.Metadata{ExternalID: name},
			Media: []review.Media{{ID: "m-" + name, ContentType: "image/png", Size: 1, Width: 10, Height: 10}}}
		if join != 0 {
			it.ClusterCandidates = []review.ClusterCandidate{{ItemID: join, Match: review.ClusterMatchSHA256}}
		}
		it, err := a.db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	big, small := add("a", 0), add("b", 0)
	add("a2", big)
	add("a3", big)
	add("b2", small)
	add("alone", 0)
	a.Close()

	code, out, errOut := loupe(t, dir, "", "cluster", "stats", "--queue", "default")
	if code != 0 || !strings.Contains(out, "2 clusters of 2 or more hold 5 waiting items") ||
		!regexpMatch(fmt.Sprintf(`CLUSTER\s+MEMBERS\n%d\s+3\n%d\s+2\n`, big, small), out) {
		t.Errorf("cluster stats: %d\n%s%s", code, out, errOut)
	}
	if !regexpMatch(`SIZE\s+CLUSTERS\n2\s+1\n3\s+1`, out) {
		t.Errorf("no histogram:\n%s", out)
	}
	if code, _, errOut := loupe(t, dir, "", "cluster", "stats", "--queue", "nope"); code != 2 || !strings.Contains(errOut, `no queue is named "nope"`) {
		t.Errorf("unknown queue: %d %q", code, errOut)
	}
}
