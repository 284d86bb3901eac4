package review

import (
	"context"
	"sync"
)

// versions is the version of each list the matcher holds.
type versions struct {
	mu sync.Mutex
	v  map[int64]int64
}

func (s *versions) reset(lists []HashList) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v = make(map[int64]int64, len(lists))
	for _, l := range lists {
		s.v[l.ID] = l.Version
	}
}

// Refresh brings the matcher up to date with changes other instances made
// to the lists: each list's settings, and the entries of every list whose
// version moved past the one the matcher holds (the catch-up cursor), so
// a notification that was missed costs nothing but a later one.
func (h *HashLists) Refresh(ctx context.Context) error {
	h.seen.mu.Lock() // one refresh at a time
	defer h.seen.mu.Unlock()
	if h.seen.v == nil {
		h.seen.v = map[int64]int64{}
	}
	lists, err := h.Store.FindHashLists(ctx)
	if err != nil {
		return err
	}
	for _, l := range lists {
		if err := h.Matcher.SetList(matchList(l)); err != nil {
			return err
		}
		seen := h.seen.v[l.ID]
		if l.Version <= seen {
			continue
		}
		changed, err := h.Store.FindEntries(ctx, l.ID, EntryFilter{SinceVersion: seen, Limit: -1})
		if err != nil {
			return err
		}
		if err := h.apply(changed); err != nil {
			return err
		}
		h.seen.v[l.ID] = l.Version
	}
	return nil
}
