package review

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loupe-review/loupe/review/matching"
)

// Automation audit actions.
const (
	ActionAutomationSet      = "queue.automation_set"
	ActionAutomationDisabled = "queue.automation_disabled"
	ActionHashListTrusted    = "hashlist.trusted_set"
	ActionDecisionAutomated  = "decision.automated"
	ActionItemRerouted       = "item.rerouted"
)

// Automation is a queue's rule for deciding known material without a
// look: an item whose every media matches an eligible entry of the block
// list at a distance of at most BlockDistance is decided violating, and one
// whose every media matches the allow list within AllowDistance is decided
// not violating. The lead who configured it is the decisions' reviewer of
// record.
type Automation struct {
	QueueID       int64
	Enabled       bool
	BlockListID   int64 // 0: no block rule
	BlockDistance int
	AllowListID   int64 // 0: no allow rule
	AllowDistance int
	ByID          int64  // the lead who configured it
	By            string // their email
	OffReason     string // why it was switched off, shown on the queue page
}

// Validate checks the settings a lead submits against the lists there
// are: the block rule names a block list, the allow rule an allow list.
func (a Automation) Validate(lists []HashList) error {
	var v ValidationError
	for field, want := range map[string]struct {
		id   int64
		kind string
	}{"auto_block_list": {a.BlockListID, "block"}, "auto_allow_list": {a.AllowListID, "allow"}} {
		if want.id != 0 && !slices.ContainsFunc(lists, func(l HashList) bool { return l.ID == want.id && l.Kind == want.kind }) {
			v.Add(field, "choose one of the "+want.kind+" lists")
		}
	}
	for field, d := range map[string]int{"auto_block_distance": a.BlockDistance, "auto_allow_distance": a.AllowDistance} {
		if d < 0 || d > matching.MaxThreshold {
			v.Add(field, fmt.Sprintf("must be between 0 and %d", matching.MaxThreshold))
		}
	}
	if a.Enabled && a.BlockListID == 0 && a.AllowListID == 0 {
		v.Add("auto_block_list", "choose a block list or an allow list to decide by")
	}
	return v.Err()
}

// AutoEntry is what automation needs to know of a matched entry.
type AutoEntry struct {
	ID       int64
	ListID   int64
	List     string
	Kind     string
	Category string // the entry's, or its list's when it has none
	// Eligible: the entry is active and was added in Loupe (a decision's
	// approved proposal, or a lead's manual entry), or its list is trusted.
	Eligible bool
}

// AutoVerdict works out the automated decision on an item of q with media
// and their matches ms, or ok false when a person must decide: automation
// is off, some media has no eligible match close enough, the media match
// entries of different categories, or the category is not one of q's.
func AutoVerdict(q Queue, a Automation, media []Media, ms []MediaMatch, entries map[int64]AutoEntry) (Decision, bool) {
	if !a.Enabled || a.ByID == 0 || len(media) == 0 {
		return Decision{}, false
	}
	if d, ok := autoVerdict(q, a, media, ms, entries, a.BlockListID, a.BlockDistance, Violating); ok {
		return d, true
	}
	return autoVerdict(q, a, media, ms, entries, a.AllowListID, a.AllowDistance, NotViolating)
}

func autoVerdict(q Queue, a Automation, media []Media, ms []MediaMatch, entries map[int64]AutoEntry, listID int64, maxDistance int, v Verdict) (Decision, bool) {
	if listID == 0 {
		return Decision{}, false
	}
	var weakest MediaMatch
	var category, list string
	var parts []string
	for i, m := range media {
		best, found := MediaMatch{}, false
		for _, mm := range ms {
			e, ok := entries[mm.EntryID]
			if mm.MediaID != m.ID || mm.ListID != listID || mm.Distance > maxDistance || !ok || !e.Eligible {
				continue
			}
			if !found || mm.Distance < best.Distance {
				best, found = mm, true
			}
		}
		if !found {
			return Decision{}, false
		}
		e := entries[best.EntryID]
		if v == Violating {
			if i > 0 && e.Category != category {
				return Decision{}, false
			}
			category = e.Category
		}
		if i == 0 || best.Distance > weakest.Distance {
			weakest = best
		}
		list = e.List
		parts = append(parts, fmt.Sprintf("media %d: entry %d at distance %d", i+1, best.EntryID, best.Distance))
	}
	d := Decision{Kind: KindAutomated, Verdict: v, Category: category, ReviewerID: a.ByID, Reviewer: a.By, Final: true,
		AutoEntryID: weakest.EntryID, AutoDistance: weakest.Distance}
	if v == Violating {
		c, ok := q.Category(category)
		if !ok {
			return Decision{}, false
		}
		d.Severe = c.Severe
	}
	d.Note = truncate(fmt.Sprintf("Decided without a look: every media matches list %s (%s); rule configured by %s.",
		list, strings.Join(parts, "; "), a.By), 2000)
	return d, true
}

// AutomationStore keeps queues' automation, the trusted flag of lists, and
// what re-matching reads and changes.
type AutomationStore interface {
	FindAutomation(ctx context.Context, queueID int64) (Automation, error)
	// SetAutomation replaces a queue's automation with ev; it switches on
	// only with a configuring lead (a.ByID).
	SetAutomation(ctx context.Context, a Automation, ev AuditEvent) error
	// DisableAutomation switches a queue's automation off with a reason
	// shown on the queue page, and audits it.
	DisableAutomation(ctx context.Context, queueID int64, reason string) error
	SetListTrusted(ctx context.Context, listID int64, trusted bool, ev AuditEvent) error
	// FindAutoEntries returns what automation knows of the entries with
	// these ids (missing ids are left out).
	FindAutoEntries(ctx context.Context, ids []int64) (map[int64]AutoEntry, error)
	RematchStore
}
