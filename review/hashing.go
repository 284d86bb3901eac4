package review

import (
	"context"
	"fmt"
	"strconv"

	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/matching"
	"github.com/loupe-review/loupe/review/pdq"
)

// Hash-list audit actions.
const (
	ActionHashListCreated = "hashlist.created"
	ActionHashListUpdated = "hashlist.updated"
	ActionHashImported    = "hashlist.imported"
	ActionHashRetracted   = "hashlist.retracted"
	ActionProposals       = "hashlist.proposals_decided"
)

// HashLists keeps hash lists in storage and the in-memory matcher in step
// with them: the matcher is built from the database at start and every
// change is applied to it after it commits, so new entries match at once.
type HashLists struct {
	Store   HashListStore
	Matcher *matching.Matcher
	// seen is each list's version the matcher holds, for Refresh.
	seen versions
}

// Load builds the matcher from the database.
func (h *HashLists) Load(ctx context.Context) error {
	lists, err := h.Store.FindHashLists(ctx)
	if err != nil {
		return err
	}
	h.seen.reset(lists) // before the entries: a change in between is refreshed again, harmlessly
	entries, err := h.Store.ActiveEntries(ctx)
	if err != nil {
		return err
	}
	ml := make([]matching.List, len(lists))
	for i, l := range lists {
		ml[i] = matchList(l)
	}
	me := make([]matching.Entry, len(entries))
	for i, e := range entries {
		me[i] = matchEntry(e)
	}
	return h.Matcher.Load(ml, me)
}

func matchList(l HashList) matching.List {
	return matching.List{ID: l.ID, Name: l.Name, Kind: matching.ListKind(l.Kind), Threshold: l.Threshold, Enabled: l.Enabled}
}

func matchEntry(e HashEntry) matching.Entry {
	return matching.Entry{ID: e.ID, ListID: e.ListID, Type: string(e.Type), Value: e.Value, Category: e.Category}
}

// Match returns the hash-list matches of one media.
func (h *HashLists) Match(mediaID, md5, sha256 string, variants []pdq.Result) []MediaMatch {
	var out []MediaMatch
	for _, m := range h.Matcher.Match(matching.Query{MD5: md5, SHA256: sha256, PDQ: variants}) {
		out = append(out, MediaMatch{MediaID: mediaID, ListID: m.ListID, List: m.List, Kind: string(m.Kind), EntryID: m.EntryID,
			Category: m.Category, HashType: m.HashType, Distance: m.Distance, Variant: m.Variant})
	}
	return out
}

// Create adds a list.
func (h *HashLists) Create(ctx context.Context, actor string, l HashList) (HashList, error) {
	if l.Threshold == 0 {
		l.Threshold = DefaultThreshold
	}
	if err := l.Validate(); err != nil {
		return l, err
	}
	l, err := h.Store.CreateHashList(ctx, l, AuditEvent{Actor: actor, Action: ActionHashListCreated, Target: "hashlist:" + l.Name,
		Details: map[string]string{"kind": l.Kind, "threshold": strconv.Itoa(l.Threshold)}})
	if err != nil {
		return l, err
	}
	return l, h.Matcher.SetList(matchList(l))
}

// Update renames, enables or disables a list, or changes its threshold.
func (h *HashLists) Update(ctx context.Context, actor string, l HashList) error {
	if err := l.Validate(); err != nil {
		return err
	}
	ev := AuditEvent{Actor: actor, Action: ActionHashListUpdated, Target: "hashlist:" + l.Name,
		Details: map[string]string{"enabled": strconv.FormatBool(l.Enabled), "threshold": strconv.Itoa(l.Threshold)}}
	if err := h.Store.UpdateHashList(ctx, l, ev); err != nil {
		return err
	}
	return h.Matcher.SetList(matchList(l))
}

// apply brings the matcher in line with entries that changed.
func (h *HashLists) apply(entries []HashEntry) error {
	for _, e := range entries {
		h.Matcher.Remove(e.ID)
		if e.Status == hashlist.Active {
			if err := h.Matcher.Add(matchEntry(e)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Import applies parsed rows to a list, all or nothing.
func (h *HashLists) Import(ctx context.Context, actor string, l HashList, rows []hashlist.Row) (int, error) {
	entries := make([]hashlist.Entry, len(rows))
	for i, r := range rows {
		entries[i] = r.Entry
		entries[i].Source = hashlist.SourceImport
	}
	ev := AuditEvent{Actor: actor, Action: ActionHashImported, Target: "hashlist:" + l.Name, Details: map[string]string{"rows": strconv.Itoa(len(rows))}}
	changed, err := h.Store.ImportEntries(ctx, l.ID, entries, actor, ev)
	if err != nil {
		return 0, err
	}
	return len(changed), h.apply(changed)
}

// DecideProposals approves or rejects pending proposals in bulk. The lead
// deciding must not be the reviewer whose decision proposed them.
func (h *HashLists) DecideProposals(ctx context.Context, actor User, l HashList, ids []int64, approve bool) error {
	if !actor.Roles.Has(RoleLead) {
		return fmt.Errorf("only a lead may approve hash-list additions: %w", ErrForbidden)
	}
	if len(ids) == 0 {
		return Invalid("proposals", "choose at least one proposal")
	}
	ev := AuditEvent{Actor: actor.Email, Action: ActionProposals, Target: "hashlist:" + l.Name,
		Details: map[string]string{"approve": strconv.FormatBool(approve), "count": strconv.Itoa(len(ids))}}
	added, err := h.Store.DecideProposals(ctx, l.ID, ids, approve, actor, ev)
	if err != nil {
		return err
	}
	return h.apply(added)
}

// Retract retracts entries with a reason.
func (h *HashLists) Retract(ctx context.Context, actor string, ids []int64, reason string) error {
	if reason == "" {
		return Invalid("reason", "say why the entries are retracted")
	}
	ev := AuditEvent{Actor: actor, Action: ActionHashRetracted, Details: map[string]string{"entries": strconv.Itoa(len(ids)), "reason": reason}}
	changed, err := h.Store.RetractEntries(ctx, ids, reason, actor, ev)
	if err != nil {
		return err
	}
	return h.apply(changed)
}

// RetractItem retracts the entries an overturned decision put on lists.
func (h *HashLists) RetractItem(ctx context.Context, actor string, itemID int64, reason string) error {
	entries, err := h.Store.FindItemEntries(ctx, itemID)
	if err != nil || len(entries) == 0 {
		return err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return h.Retract(ctx, actor, ids, reason)
}

// Proposals are the hashes a final violating decision proposes to the
// queue's list: SHA-256, MD5 and, when usable, PDQ of each media.
func Proposals(it Item, d Decision, listID int64) []Proposal {
	var out []Proposal
	for _, m := range it.Media {
		add := func(typ, value string) {
			out = append(out, Proposal{ListID: listID, ItemID: it.ID, ReviewerID: d.ReviewerID, HashType: typ, Value: value, Category: d.Category})
		}
		add("sha256", m.SHA256)
		add("md5", m.MD5)
		if m.PDQ != "" && m.PDQQuality >= pdq.MinQuality {
			add("pdq", m.PDQ)
		}
	}
	return out
}

// Export returns what a partner receives: the active entries of a list, or
// with since > 0 every entry changed after that version, retractions
// included as tombstones, in version order.
func (h *HashLists) Export(ctx context.Context, l HashList, since int64) ([]hashlist.Entry, error) {
	f := EntryFilter{SinceVersion: since, Limit: -1}
	if since == 0 {
		f.Status = hashlist.Active // a full export holds what is on the list now
	}
	stored, err := h.Store.FindEntries(ctx, l.ID, f)
	if err != nil {
		return nil, err
	}
	entries := make([]hashlist.Entry, len(stored))
	for i, s := range stored {
		entries[i] = s.Entry
	}
	return entries, nil
}
