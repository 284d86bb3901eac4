package review

import (
	"context"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/matching"
)

// refreshStore is the database as another instance leaves it.
type refreshStore struct {
	HashListStore // only the methods below are called
	lists         []HashList
	entries       []HashEntry
	since         []int64 // the versions FindEntries was asked about
}

func (s *refreshStore) FindHashLists(context.Context) ([]HashList, error) { return s.lists, nil }

func (s *refreshStore) ActiveEntries(context.Context) ([]HashEntry, error) {
	var out []HashEntry
	for _, e := range s.entries {
		if e.Status == hashlist.Active {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *refreshStore) FindEntries(_ context.Context, listID int64, f EntryFilter) ([]HashEntry, error) {
	s.since = append(s.since, f.SinceVersion)
	var out []HashEntry
	for _, e := range s.entries {
		if e.ListID == listID && e.Version > f.SinceVersion {
			out = append(out, e)
		}
	}
	return out, nil
}

// TestRefreshCatchesUpFromTheVersionItHolds: entries another instance
// added or retracted since the matcher's version are applied, the list's
// settings too, and an unchanged version reads no entries.
func TestRefreshCatchesUpFromTheVersionItHolds(t *testing.T) {
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	entry := func(id int64, value string, status hashlist.Status, version int64) HashEntry {
		return HashEntry{ID: id, ListID: 1, Entry: hashlist.Entry{Type: hashlist.SHA256, Value: value, Status: status, Version: version}}
	}
	store := &refreshStore{
		lists:   []HashList{{ID: 1, Name: "known", Kind: "block", Threshold: 31, Enabled: true, Version: 1}},
		entries: []HashEntry{entry(1, a, hashlist.Active, 1)},
	}
	h := &HashLists{Store: store, Matcher: matching.New()}
	ctx := context.Background()
	if err := h.Load(ctx); err != nil {
		t.Fatal(err)
	}
	matches := func(sha string) bool { return len(h.Match("m", "", sha, nil)) > 0 }
	if !matches(a) || matches(b) {
		t.Fatal("after Load: want a matched, b not")
	}

	// Elsewhere: a retracted and b added, at version 3.
	store.lists[0].Version = 3
	store.entries = []HashEntry{entry(1, a, hashlist.Retracted, 2), entry(2, b, hashlist.Active, 3)}
	if err := h.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if matches(a) || !matches(b) {
		t.Errorf("after Refresh: a matched %v (want false), b matched %v (want true)", matches(a), matches(b))
	}
	if len(store.since) != 1 || store.since[0] != 1 {
		t.Errorf("entries read since versions %v, want [1]", store.since)
	}

	// Elsewhere: the list disabled, which moves no version.
	store.lists[0].Enabled = false
	if err := h.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if matches(b) {
		t.Error("a disabled list still matches after Refresh")
	}
	if len(store.since) != 1 {
		t.Errorf("Refresh read entries again at an unchanged version: %v", store.since)
	}
}
