package review

import (
	"cmp"
	"context"
	"encoding/hex"
	"slices"
	"sync"

	"github.com/loupe-review/loupe/review/pdq"
	"github.com/loupe-review/loupe/review/pdqindex"
)

// ClusterSource is what the cluster index reads.
type ClusterSource interface {
	FindQueue(ctx context.Context, id int64) (Queue, error)
	// FindClusterMedia returns the one file of each single-file item of
	// the queue waiting for a first review (held or not) whose id is in
	// (after, upTo], upTo being the highest item id when it read.
	FindClusterMedia(ctx context.Context, queueID, after int64) (media []ClusterMedia, upTo int64, err error)
}

// maxClusterCandidates is how many candidates a new item brings to its
// create transaction, which joins the first still waiting.
const maxClusterCandidates = 8

// rebuildAfter is the fewest additions after which a queue's index is
// loaded afresh, dropping items decided or moved since; at least as many
// as it held, so a reload costs each ingest a constant share.
const rebuildAfter = 50_000

// ClusterIndex finds the waiting items a new item may join: exact copies
// by SHA-256 and near-duplicates by PDQ, in all eight turns and mirror
// images, within the queue's threshold. It keeps one index per queue in
// memory, loaded at the queue's first ingest and caught up from the
// database before every lookup, so items that other instances ingested
// are found too. It may hold items that were decided or moved since: the
// create transaction checks each candidate, and those it refuses are
// forgotten.
//
// MD5 alone never clusters: MD5 collisions can be made at will, and an
// MD5 match would let a sender put any image behind a harmless one.
type ClusterIndex struct {
	Store ClusterSource

	mu     sync.Mutex
	queues map[int64]*queueIndex
}

// queueIndex is one queue's waiting items.
type queueIndex struct {
	mu     sync.RWMutex // searches share it; loads, additions and removals take it alone
	loaded bool
	cursor int64 // item ids up to here were read
	size   int   // entries at the last load
	added  int   // entries since
	sha    map[[32]byte]int64
	pdq    *pdqindex.Index
}

func (c *ClusterIndex) queue(id int64) *queueIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queues == nil {
		c.queues = map[int64]*queueIndex{}
	}
	q, ok := c.queues[id]
	if !ok {
		q = &queueIndex{}
		c.queues[id] = q
	}
	return q
}

// Candidates returns the waiting items of the queue that m is a copy of,
// nearest first (exact copies first), at most maxClusterCandidates.
// variants are m's PDQ hashes in the eight dihedral variants, original
// first. None when the queue's threshold is 0.
func (c *ClusterIndex) Candidates(ctx context.Context, queueID int64, m Media, variants []pdq.Result) ([]ClusterCandidate, error) {
	q, err := c.Store.FindQueue(ctx, queueID)
	if err != nil || q.ClusterThreshold == 0 {
		return nil, err
	}
	x := c.queue(queueID)
	if err := x.catchUp(ctx, c.Store, queueID); err != nil {
		return nil, err
	}
	return x.search(m, variants, q.ClusterThreshold), nil
}

// catchUp loads the queue's index at first use (and afresh once it has
// grown by as much as it held), else adds what arrived since the last
// read; that read runs outside the lock, so ingests of one queue do not
// wait on each other's queries.
func (x *queueIndex) catchUp(ctx context.Context, src ClusterSource, queueID int64) error {
	x.mu.Lock()
	if !x.loaded || x.added > max(rebuildAfter, x.size) {
		defer x.mu.Unlock()
		return x.load(ctx, src, queueID)
	}
	after := x.cursor
	x.mu.Unlock()
	media, upTo, err := src.FindClusterMedia(ctx, queueID, after)
	if err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, m := range media {
		if m.ItemID <= x.cursor { // another lookup added it meanwhile
			continue
		}
		if h, ok := usableHash(m); ok {
			x.pdq.Add(uint64(m.ItemID), h)
		}
		x.addSHA(m)
		x.added++
	}
	x.cursor = max(x.cursor, upTo)
	return nil
}

// load reads the queue's waiting items afresh; x.mu is held.
func (x *queueIndex) load(ctx context.Context, src ClusterSource, queueID int64) error {
	media, upTo, err := src.FindClusterMedia(ctx, queueID, 0)
	if err != nil {
		return err
	}
	x.sha = make(map[[32]byte]int64, len(media))
	entries := make([]pdqindex.Entry, 0, len(media))
	for _, m := range media {
		if h, ok := usableHash(m); ok {
			entries = append(entries, pdqindex.Entry{ID: uint64(m.ItemID), Hash: h})
		}
		x.addSHA(m)
	}
	x.pdq = pdqindex.Build(entries)
	x.loaded, x.cursor, x.size, x.added = true, upTo, len(media), 0
	return nil
}

func (x *queueIndex) addSHA(m ClusterMedia) {
	var k [32]byte
	if b, err := hex.DecodeString(m.SHA256); err == nil && len(b) == len(k) {
		copy(k[:], b)
		x.sha[k] = m.ItemID
	}
}

// usableHash is m's PDQ hash when it is good enough to match on.
func usableHash(m ClusterMedia) (pdq.Hash, bool) {
	h, err := pdq.ParseHash(m.PDQ)
	if err != nil || m.Quality < pdq.MinQuality || h.IsZero() {
		return pdq.Hash{}, false
	}
	return h, true
}

// search finds m's exact copies and near-duplicates in the index.
func (x *queueIndex) search(m Media, variants []pdq.Result, threshold int) []ClusterCandidate {
	x.mu.RLock()
	defer x.mu.RUnlock()
	best := map[int64]ClusterCandidate{}
	var k [32]byte
	if b, err := hex.DecodeString(m.SHA256); err == nil && len(b) == len(k) {
		copy(k[:], b)
		if id, ok := x.sha[k]; ok {
			best[id] = ClusterCandidate{ItemID: id, Match: ClusterMatchSHA256}
		}
	}
	for _, v := range variants[:min(len(variants), pdq.NumVariants)] {
		if !v.Usable() || v.Hash.IsZero() {
			continue
		}
		for _, hit := range x.pdq.Search(v.Hash, threshold) {
			id := int64(hit.ID)
			if prev, ok := best[id]; !ok || hit.Distance < prev.Distance {
				best[id] = ClusterCandidate{ItemID: id, Distance: hit.Distance, Match: ClusterMatchPDQ}
			}
		}
	}
	out := make([]ClusterCandidate, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ClusterCandidate) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(matchRank(a.Match), matchRank(b.Match)), cmp.Compare(a.ItemID, b.ItemID))
	})
	return out[:min(len(out), maxClusterCandidates)]
}

func matchRank(m string) int {
	if m == ClusterMatchSHA256 {
		return 0
	}
	return 1
}

// Forget drops items the create transaction found no longer waiting
// from the PDQ index (an exact-copy entry stays until the next load: the
// create transaction refuses it again).
func (c *ClusterIndex) Forget(queueID int64, stale []ClusterCandidate) {
	if len(stale) == 0 {
		return
	}
	x := c.queue(queueID)
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, s := range stale {
		if x.pdq != nil {
			x.pdq.Remove(uint64(s.ItemID))
		}
	}
}
