package review

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/matching"
)

// HashList is a list of hashes of known content: block lists hold known
// harmful content (a match routes the item and shows the list's
// category); allow lists hold known false positives (a match suppresses
// block matches of the same content).
type HashList struct {
	ID        int64
	Name      string
	Kind      string // "block" or "allow"
	Category  string
	Threshold int // the PDQ distance that counts as a match
	Enabled   bool
	Version   int64 // increases with every change to an entry
	// Trusted: a lead lets entries imported from outside Loupe decide items
	// without a look (entries approved in Loupe always may).
	Trusted bool
	// Rematched is the version waiting items were last matched against.
	Rematched int64
	CreatedAt time.Time
	Active    int // active entries
	Pending   int // proposals awaiting approval
}

// DefaultThreshold is the PDQ match distance Meta recommends.
const DefaultThreshold = 31

// Validate checks a list's settings.
func (l HashList) Validate() error {
	var v ValidationError
	if err := ValidateName("name", l.Name); err != nil {
		v.Add("name", err.(*ValidationError).Problems["name"])
	}
	if l.Kind != "block" && l.Kind != "allow" {
		v.Add("kind", "must be block or allow")
	}
	if l.Threshold < 1 || l.Threshold > matching.MaxThreshold {
		v.Add("threshold", fmt.Sprintf("must be between 1 and %d", matching.MaxThreshold))
	}
	if len(l.Category) > hashlist.MaxCategoryBytes {
		v.Add("category", "is too long")
	}
	return v.Err()
}

// HashEntry is one stored entry of a list.
type HashEntry struct {
	ID     int64
	ListID int64
	ItemID int64 // for entries that came from a decision
	hashlist.Entry
}

// Proposal is a hash a violating decision proposes for a list; a lead
// other than the deciding reviewer approves or rejects it.
type Proposal struct {
	ID         int64
	ListID     int64
	List       string
	ItemID     int64
	DecisionID int64
	ReviewerID int64
	HashType   string
	Value      string
	Category   string
	Status     string // pending, approved, rejected, withdrawn
	DecidedBy  string
	CreatedAt  time.Time
}

// MediaMatch is a hash-list match of one media, found at ingest.
type MediaMatch struct {
	MediaID  string
	ListID   int64
	List     string
	Kind     string
	EntryID  int64
	Category string
	HashType string
	Distance int
	Variant  string // which rotation or flip matched; "" for exact hashes
}

// EntryFilter narrows an entries listing.
type EntryFilter struct {
	Value        string // a hash, or part of one
	Status       hashlist.Status
	SinceVersion int64 // entries changed after this version (delta exports)
	Limit        int
}

// HashListStore keeps hash lists, entries, proposals and matches.
type HashListStore interface {
	CreateHashList(ctx context.Context, l HashList, ev AuditEvent) (HashList, error)
	UpdateHashList(ctx context.Context, l HashList, ev AuditEvent) error
	FindHashLists(ctx context.Context) ([]HashList, error)
	FindHashList(ctx context.Context, id int64) (HashList, error)
	FindHashListByName(ctx context.Context, name string) (HashList, error)
	FindEntries(ctx context.Context, listID int64, f EntryFilter) ([]HashEntry, error)
	// ActiveEntries returns every active entry of every list, to build the matcher.
	ActiveEntries(ctx context.Context) ([]HashEntry, error)
	// ImportEntries applies rows to a list in one transaction (all or nothing)
	// and returns the entries that changed.
	ImportEntries(ctx context.Context, listID int64, rows []hashlist.Entry, actor string, ev AuditEvent) ([]HashEntry, error)
	RetractEntries(ctx context.Context, ids []int64, reason, actor string, ev AuditEvent) ([]HashEntry, error)
	FindItemEntries(ctx context.Context, itemID int64) ([]HashEntry, error)
	FindProposals(ctx context.Context, listID int64, status string) ([]Proposal, error)
	// DecideProposals approves (adding entries) or rejects pending proposals.
	DecideProposals(ctx context.Context, listID int64, ids []int64, approve bool, actor User, ev AuditEvent) ([]HashEntry, error)
	FindMatches(ctx context.Context, itemID int64) ([]MediaMatch, error)
}
