package review

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/pdq"
	"github.com/loupe-review/loupe/review/pdqindex"
)

// WaitingMedia is a media of an item still waiting for a decision.
type WaitingMedia struct {
	ItemID  int64
	MediaID string
	Hash    string // the hash the query asked about
}

// WaitingMatch is a stored match of a waiting item's media.
type WaitingMatch struct {
	ItemID int64
	MediaMatch
}

// Move sends a waiting item to another queue.
type Move struct {
	QueueID  int64
	Queue    string
	RuleID   int64 // 0: the default queue took it
	Priority int
}

// Rematch is what re-matching changes on one waiting item, in one
// transaction: matches added and removed, and a move when the change of
// matches changes the routing rule the item meets.
type Rematch struct {
	ItemID int64
	Add    []MediaMatch
	Remove []MediaMatch // by media and entry
	Move   *Move        // nil: the item stays
	Event  AuditEvent   // audits the move
	Now    time.Time
}

// RematchStore is what re-matching reads and changes.
type RematchStore interface {
	// FindWaitingByHash returns the media of waiting items whose hashType
	// ("sha256" or "md5") is one of values.
	FindWaitingByHash(ctx context.Context, hashType string, values []string) ([]WaitingMedia, error)
	// EachWaitingPDQ calls fn with the PDQ hash of each usable media of the
	// waiting items, in one pass.
	EachWaitingPDQ(ctx context.Context, fn func(WaitingMedia) error) error
	// FindWaitingMatches returns the stored matches of waiting items on
	// these entries.
	FindWaitingMatches(ctx context.Context, entryIDs []int64) ([]WaitingMatch, error)
	// ApplyRematch stores r; it moves the item only if it is still queued
	// and nobody holds it, and reports whether it did.
	ApplyRematch(ctx context.Context, r Rematch) (bool, error)
	// SetRematched advances a list's re-matching cursor to version.
	SetRematched(ctx context.Context, listID, version int64) error
}

// rematchBatch bounds the PDQ entries searched in one pass over the
// waiting media, and the values of one exact-hash query.
const (
	rematchBatch = 20000
	exactBatch   = 500
)

// RematchResult counts what one Rematch did.
type RematchResult struct {
	Lists, Items, Moved, Decided int
}

// Rematch matches the waiting items again against what each list gained
// or lost since its cursor (hash_lists.rematched_version): items get the
// new matches and lose those of retracted entries; a queued item nobody
// holds moves when that changes the routing rule it meets, and is decided
// if its queue's automation says so. The cursor advances only after, so
// work a crash interrupts is done again (every step is idempotent).
func (a *Automator) Rematch(ctx context.Context) (RematchResult, error) {
	var res RematchResult
	lists, err := a.Lists.FindHashLists(ctx)
	if err != nil {
		return res, err
	}
	for _, l := range lists {
		if l.Version <= l.Rematched {
			continue
		}
		changed, err := a.Lists.FindEntries(ctx, l.ID, EntryFilter{SinceVersion: l.Rematched, Limit: -1})
		if err != nil {
			return res, err
		}
		if err := a.rematchList(ctx, l, changed, &res); err != nil {
			return res, fmt.Errorf("review: re-match list %s: %w", l.Name, err)
		}
		if err := a.Store.SetRematched(ctx, l.ID, l.Version); err != nil {
			return res, err
		}
		res.Lists++
	}
	return res, nil
}

// itemChange is what one list change does to one item's matches.
type itemChange struct{ add, remove []MediaMatch }

func (a *Automator) rematchList(ctx context.Context, l HashList, entries []HashEntry, res *RematchResult) error {
	changes := map[int64]*itemChange{}
	change := func(itemID int64) *itemChange {
		if changes[itemID] == nil {
			changes[itemID] = &itemChange{}
		}
		return changes[itemID]
	}
	match := func(e HashEntry, distance int) MediaMatch {
		category := e.Category
		if category == "" {
			category = l.Category
		}
		return MediaMatch{ListID: l.ID, List: l.Name, Kind: l.Kind, EntryID: e.ID, Category: category, HashType: string(e.Type), Distance: distance}
	}
	var retracted []int64
	exact := map[hashlist.HashType]map[string][]HashEntry{}
	var near []HashEntry
	for _, e := range entries {
		switch {
		case e.Status != hashlist.Active:
			retracted = append(retracted, e.ID)
		case !l.Enabled: // a disabled list matches nothing
		case e.Type == hashlist.PDQ:
			near = append(near, e)
		default:
			if exact[e.Type] == nil {
				exact[e.Type] = map[string][]HashEntry{}
			}
			exact[e.Type][e.Value] = append(exact[e.Type][e.Value], e)
		}
	}
	for typ, byValue := range exact {
		values := make([]string, 0, len(byValue))
		for v := range byValue {
			values = append(values, v)
		}
		for chunk := range slices.Chunk(values, exactBatch) {
			found, err := a.Store.FindWaitingByHash(ctx, string(typ), chunk)
			if err != nil {
				return err
			}
			for _, w := range found {
				for _, e := range byValue[w.Hash] {
					m := match(e, 0)
					m.MediaID = w.MediaID
					change(w.ItemID).add = append(change(w.ItemID).add, m)
				}
			}
		}
	}
	for chunk := range slices.Chunk(near, rematchBatch) {
		idx := make([]pdqindex.Entry, 0, len(chunk))
		for i, e := range chunk {
			if h, err := pdq.ParseHash(e.Value); err == nil {
				idx = append(idx, pdqindex.Entry{ID: uint64(i), Hash: h})
			}
		}
		index := pdqindex.Build(idx)
		err := a.Store.EachWaitingPDQ(ctx, func(w WaitingMedia) error {
			h, err := pdq.ParseHash(w.Hash)
			if err != nil {
				return nil // not a hash Loupe wrote: nothing to match
			}
			for _, hit := range index.Search(h, l.Threshold) {
				m := match(chunk[hit.ID], hit.Distance)
				m.MediaID, m.Variant = w.MediaID, pdq.Variant(0).String()
				change(w.ItemID).add = append(change(w.ItemID).add, m)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(retracted, exactBatch) {
		found, err := a.Store.FindWaitingMatches(ctx, chunk)
		if err != nil {
			return err
		}
		for _, w := range found {
			change(w.ItemID).remove = append(change(w.ItemID).remove, w.MediaMatch)
		}
	}
	ids := make([]int64, 0, len(changes))
	for id := range changes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := a.rematchItem(ctx, id, l, changes[id], res); err != nil {
			return err
		}
	}
	return nil
}

// rematchItem applies one item's change of matches, moves it when its
// routing changes, and lets automation decide it.
func (a *Automator) rematchItem(ctx context.Context, itemID int64, l HashList, c *itemChange, res *RematchResult) error {
	it, err := a.Items.FindItemByID(ctx, itemID)
	if err != nil {
		return err
	}
	old, err := a.Lists.FindMatches(ctx, itemID)
	if err != nil {
		return err
	}
	next, add, remove := MergeMatches(old, c.add, c.remove)
	if len(add) == 0 && len(remove) == 0 {
		return nil
	}
	now := a.Now()
	r := Rematch{ItemID: itemID, Add: add, Remove: remove, Now: now}
	if it.Status == StatusQueued && it.LeaseUntil.Before(now) {
		if r.Move, err = a.route(ctx, it, old, next); err != nil {
			return err
		}
		if r.Move != nil {
			r.Event = AuditEvent{Actor: "loupe", Action: ActionItemRerouted, Target: ItemTarget(itemID), Details: map[string]string{
				"list": l.Name, "from_queue": it.Queue, "to_queue": r.Move.Queue, "reason": "hash-list change",
			}}
		}
	}
	moved, err := a.Store.ApplyRematch(ctx, r)
	if err != nil {
		return err
	}
	res.Items++
	if moved {
		res.Moved++
		it.QueueID = r.Move.QueueID
	}
	d, err := a.decide(ctx, it, next)
	if err != nil {
		return err
	}
	if d.ID != 0 {
		res.Decided++
	}
	return nil
}

// route returns where an item goes when its matches change from old to
// next, or nil when the rule it meets stays the same (so a lead's manual
// move is not undone by an unrelated list change).
func (a *Automator) route(ctx context.Context, it Item, old, next []MediaMatch) (*Move, error) {
	rules, err := a.Rules.FindRules(ctx)
	if err != nil {
		return nil, err
	}
	was, wasOK := Route(rules, it.SourceID, it.Metadata, old)
	now, ok := Route(rules, it.SourceID, it.Metadata, next)
	if was.ID == now.ID && wasOK == ok {
		return nil, nil
	}
	m := &Move{QueueID: now.QueueID, Queue: now.Queue, RuleID: now.ID, Priority: it.Metadata.EffectivePriority()}
	if now.Priority != nil {
		m.Priority = *now.Priority
	}
	if !ok {
		q, err := a.Queues.FindQueueByName(ctx, DefaultQueue)
		if err != nil {
			return nil, err
		}
		m.QueueID, m.Queue, m.RuleID = q.ID, q.Name, 0
	}
	return m, nil
}

// MergeMatches applies added and removed matches to an item's matches as
// the matcher would have found them: one match per media and entry, and
// no block match on a media that an allow list matches. It returns the
// result and the rows to add and to remove.
func MergeMatches(old, add, remove []MediaMatch) (next, added, removed []MediaMatch) {
	type key struct {
		media string
		entry int64
	}
	has := map[key]bool{}
	gone := map[key]bool{}
	for _, m := range remove {
		gone[key{m.MediaID, m.EntryID}] = true
	}
	for _, m := range old {
		if gone[key{m.MediaID, m.EntryID}] {
			removed = append(removed, m)
			continue
		}
		has[key{m.MediaID, m.EntryID}] = true
		next = append(next, m)
	}
	for _, m := range add {
		if !has[key{m.MediaID, m.EntryID}] {
			has[key{m.MediaID, m.EntryID}] = true
			next, added = append(next, m), append(added, m)
		}
	}
	allowed := map[string]bool{}
	for _, m := range next {
		allowed[m.MediaID] = allowed[m.MediaID] || m.Kind == "allow"
	}
	suppressed := func(m MediaMatch) bool { return m.Kind == "block" && allowed[m.MediaID] }
	for _, m := range next {
		if suppressed(m) && !slices.ContainsFunc(added, func(x MediaMatch) bool { return x.MediaID == m.MediaID && x.EntryID == m.EntryID }) {
			removed = append(removed, m)
		}
	}
	added = slices.DeleteFunc(added, suppressed)
	next = slices.DeleteFunc(next, suppressed)
	return next, added, removed
}
