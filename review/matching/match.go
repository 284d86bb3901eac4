package matching

import (
	"cmp"
	"slices"
	"strings"

	"github.com/loupe-review/loupe/review/pdq"
)

// Query is what is known of a piece of media. Empty fields are skipped.
type Query struct {
	MD5    string // hex, of the media's bytes
	SHA256 string // hex, of the media's bytes
	// PDQ holds the image's hashes indexed by pdq.Variant, as
	// pdq.DihedralFromImage returns them (pass its result sliced). A shorter
	// slice matches fewer variants: one element is the original alone.
	// Hashes below pdq.MinQuality are not matched on: featureless images
	// collide easily.
	PDQ []pdq.Result
}

// Match is one entry the media matched.
type Match struct {
	ListID   int64
	List     string // the list's name
	Kind     ListKind
	EntryID  int64
	Category string
	HashType string // PDQ, MD5 or SHA256
	Distance int    // PDQ distance; 0 for exact hashes
	// Variant names the rotation or reflection of the media that matched,
	// as pdq.Variant names it ("original", "rot90", ...): the listed
	// picture is the media transformed so. Empty for exact hashes.
	Variant string
}

// Match returns the entries of enabled lists that q matches, at most one
// match per entry (its nearest variant, the original on a tie).
//
// If any allow-list entry matches, every block-list match is dropped and
// only the allow matches are returned: the allow list says this content is
// a known false positive, and reporting it as harmful anyway is the mistake
// the list exists to prevent. An allow match suppresses block matches of
// any hash type, since all describe the same media.
//
// Matches are ordered block before allow, then nearest first, then by list
// name and entry ID.
func (m *Matcher) Match(q Query) []Match {
	m.mu.RLock()
	defer m.mu.RUnlock()

	best := map[int64]Match{}
	m.matchExact(best, MD5, q.MD5)
	m.matchExact(best, SHA256, q.SHA256)
	m.matchPDQ(best, q.PDQ)

	out := make([]Match, 0, len(best))
	allowed := false
	for _, mt := range best {
		allowed = allowed || mt.Kind == Allow
		out = append(out, mt)
	}
	if allowed {
		out = slices.DeleteFunc(out, func(mt Match) bool { return mt.Kind == Block })
	}
	slices.SortFunc(out, compareMatches)
	return out
}

// matchExact adds the entries holding value as a hash of type typ.
func (m *Matcher) matchExact(best map[int64]Match, typ, value string) {
	if value == "" {
		return
	}
	// Entries are stored lower-case; a caller's hex may not be.
	for _, id := range m.exact[exactKey{typ, strings.ToLower(value)}] {
		e := m.entries[id]
		if l := m.lists[e.ListID]; l.Enabled {
			best[id] = newMatch(l, e, 0, "")
		}
	}
}

// matchPDQ searches the index once per usable variant, at the largest
// threshold of any enabled list, and keeps the hits within their own
// list's threshold.
func (m *Matcher) matchPDQ(best map[int64]Match, variants []pdq.Result) {
	if m.maxThreshold < 0 {
		return
	}
	for i, r := range variants[:min(len(variants), pdq.NumVariants)] {
		if !r.Usable() || r.Hash.IsZero() {
			continue
		}
		for _, hit := range m.index.Search(r.Hash, m.maxThreshold) {
			id := int64(hit.ID)
			e := m.entries[id]
			l := m.lists[e.ListID]
			if !l.Enabled || hit.Distance > l.threshold() {
				continue
			}
			// Variants come original first, so a strict comparison keeps
			// the original on a tie.
			if prev, ok := best[id]; ok && prev.Distance <= hit.Distance {
				continue
			}
			best[id] = newMatch(l, e, hit.Distance, pdq.Variant(i).String())
		}
	}
}

func newMatch(l List, e entry, distance int, variant string) Match {
	return Match{
		ListID:   l.ID,
		List:     l.Name,
		Kind:     l.Kind,
		EntryID:  e.ID,
		Category: e.Category,
		HashType: e.Type,
		Distance: distance,
		Variant:  variant,
	}
}

func compareMatches(a, b Match) int {
	return cmp.Or(
		cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)),
		cmp.Compare(a.Distance, b.Distance),
		strings.Compare(a.List, b.List),
		cmp.Compare(a.EntryID, b.EntryID),
	)
}

// kindRank puts block matches, the ones that route the item, first.
func kindRank(k ListKind) int {
	if k == Block {
		return 0
	}
	return 1
}
