package review

import (
	"context"
	"slices"
	"time"
)

// Clusters: copies of one picture (re-posts, re-encodes, resizes, turns
// and mirror images) that wait in the same queue are reviewed together.
// The reviewer sees one representative and a blurred strip of the other
// members, reveals only what the decision needs, and decides once; each
// member still gets its own decision record, callback, case and
// proposals. Only items of one file are clustered: one look at a
// representative says nothing about a second file of another item.

// DefaultClusterThreshold is a new queue's PDQ distance for clustering,
// the usual PDQ match threshold.
const DefaultClusterThreshold = 31

// MaxClusterThreshold is the largest threshold a queue may set.
const MaxClusterThreshold = 64

// How a member matched the cluster when it joined.
const (
	ClusterMatchSHA256 = "sha256"
	ClusterMatchMD5    = "md5"
	ClusterMatchPDQ    = "pdq"
)

// ActionClusterSplit is the audit action of a member taken out of its
// cluster before the decision.
const ActionClusterSplit = "cluster.split"

// ClusterLink is an item's place in a cluster.
type ClusterLink struct {
	ID       int64  // the cluster's first item; 0: in no cluster
	Distance int    // to the member it matched when it joined; 0 for an exact copy
	Match    string // ClusterMatchSHA256, ClusterMatchMD5, ClusterMatchPDQ; "" for the first item
}

// ClusterCandidate is a waiting item a new item may join.
type ClusterCandidate struct {
	ItemID   int64
	Distance int
	Match    string
}

// ClusterStore is what clustering needs from storage.
type ClusterStore interface {
	// FindClusterMembers returns the items of itemID's cluster that
	// userID holds at now, itemID among them, representative first:
	// highest PDQ quality, then largest image, then lowest id. An item in
	// no cluster is its own only member.
	FindClusterMembers(ctx context.Context, itemID, userID int64, now time.Time) ([]Item, error)
	// SplitCluster takes a member that userID holds out of its cluster
	// and hands it back to its queue, with ev, in one transaction.
	SplitCluster(ctx context.Context, itemID, userID int64, now time.Time, ev AuditEvent) error
	// RecordDecisions commits the decisions of a cluster's members, each
	// as RecordDecision would, in one transaction.
	RecordDecisions(ctx context.Context, recs []DecisionRecord) ([]Decision, error)
}

// ClusterMedia is the one file of a waiting item, as the cluster index
// keeps it.
type ClusterMedia struct {
	ItemID  int64
	SHA256  string
	MD5     string
	PDQ     string
	Quality int
}

// ClusterSize is one cluster of a queue's waiting items.
type ClusterSize struct {
	ID      int64
	Members int
}

// ClusterStats lists a queue's clusters of two or more waiting members,
// largest first.
type ClusterStats struct {
	Queue    Queue
	Clusters []ClusterSize
}

// SizeCount is how many clusters have one size.
type SizeCount struct {
	Size     int
	Clusters int
}

// Histogram counts clusters by size, smallest size first.
func (s ClusterStats) Histogram() []SizeCount {
	count := map[int]int{}
	for _, c := range s.Clusters {
		count[c.Members]++
	}
	var out []SizeCount
	for size, n := range count {
		out = append(out, SizeCount{Size: size, Clusters: n})
	}
	slices.SortFunc(out, func(a, b SizeCount) int { return a.Size - b.Size })
	return out
}

// Items is how many waiting items the clusters hold together.
func (s ClusterStats) Items() int {
	n := 0
	for _, c := range s.Clusters {
		n += c.Members
	}
	return n
}

// Split takes a member out of the cluster u is deciding, before the
// decision: it goes back to its queue on its own.
func (r *Reviewing) Split(ctx context.Context, cs ClusterStore, u User, itemID int64) error {
	ev := AuditEvent{Actor: u.Email, Action: ActionClusterSplit, Target: ItemTarget(itemID)}
	return cs.SplitCluster(ctx, itemID, u.ID, r.Now(), ev)
}
