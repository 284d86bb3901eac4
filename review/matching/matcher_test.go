package matching

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// matchedIDs returns the entry IDs of m's matches for q, in order.
func matchedIDs(m *Matcher, q Query) []int64 {
	var ids []int64
	for _, mt := range m.Match(q) {
		ids = append(ids, mt.EntryID)
	}
	return ids
}

// The matcher follows every change at once: each step changes it and then
// checks what a query near h matches.
func TestMatcherChanges(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	h := randomHash(r)
	near := Query{PDQ: original(flip(h, 20))}
	m := load(t, []List{{ID: 1, Name: "main", Kind: Block, Enabled: true}}, nil)

	steps := []struct {
		name   string
		change func() error
		q      Query
		want   []int64
		len    int
	}{
		{"empty", nil, near, nil, 0},
		{"added entry matches at once", func() error {
			return m.Add(Entry{ID: 1, ListID: 1, Type: PDQ, Value: h.String()})
		}, near, []int64{1}, 1},
		{"added md5 matches at once", func() error {
			return m.Add(Entry{ID: 2, ListID: 1, Type: MD5, Value: md5Hex("a")})
		}, Query{MD5: md5Hex("a")}, []int64{2}, 2},
		{"threshold lowered below the distance", func() error {
			return m.SetList(List{ID: 1, Name: "main", Kind: Block, Threshold: 19, Enabled: true})
		}, near, nil, 2},
		{"threshold raised again", func() error {
			return m.SetList(List{ID: 1, Name: "main", Kind: Block, Threshold: 20, Enabled: true})
		}, near, []int64{1}, 2},
		{"disabled", func() error {
			return m.SetList(List{ID: 1, Name: "main", Kind: Block, Enabled: false})
		}, near, nil, 2},
		{"disabled md5", nil, Query{MD5: md5Hex("a")}, nil, 2},
		{"re-enabled", func() error {
			return m.SetList(List{ID: 1, Name: "main", Kind: Block, Enabled: true})
		}, near, []int64{1}, 2},
		{"re-enabled md5", nil, Query{MD5: md5Hex("a")}, []int64{2}, 2},
		{"new list", func() error {
			return m.SetList(List{ID: 2, Name: "second", Kind: Block, Enabled: true})
		}, near, []int64{1}, 2},
		{"same hash on the new list", func() error {
			return m.Add(Entry{ID: 3, ListID: 2, Type: PDQ, Value: h.String()})
		}, near, []int64{1, 3}, 3},
		{"replaced by ID with another hash", func() error {
			return m.Add(Entry{ID: 1, ListID: 1, Type: PDQ, Value: randomHash(r).String()})
		}, near, []int64{3}, 3},
		{"replaced by an md5", func() error {
			return m.Add(Entry{ID: 3, ListID: 2, Type: MD5, Value: md5Hex("a")})
		}, Query{MD5: md5Hex("a"), PDQ: near.PDQ}, []int64{2, 3}, 3},
		{"retracted pdq", func() error { return removed(m, 1) }, Query{MD5: md5Hex("a"), PDQ: near.PDQ}, []int64{2, 3}, 2},
		{"retracted md5", func() error { return removed(m, 2) }, Query{MD5: md5Hex("a")}, []int64{3}, 1},
		{"retracted the last", func() error { return removed(m, 3) }, Query{MD5: md5Hex("a")}, nil, 0},
		{"second removal is a no-op", func() error {
			if m.Remove(3) {
				return errors.New("Remove(3) = true for an entry already removed")
			}
			return nil
		}, Query{MD5: md5Hex("a")}, nil, 0},
		{"list turned into an allow list", func() error {
			if err := m.SetList(List{ID: 2, Name: "second", Kind: Allow, Enabled: true}); err != nil {
				return err
			}
			return m.Add(Entry{ID: 4, ListID: 1, Type: PDQ, Value: h.String()})
		}, near, []int64{4}, 1},
		{"allow entry suppresses", func() error {
			return m.Add(Entry{ID: 5, ListID: 2, Type: PDQ, Value: h.String()})
		}, near, []int64{5}, 2},
	}
	for _, s := range steps {
		if s.change != nil {
			if err := s.change(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		if got := matchedIDs(m, s.q); !slices.Equal(got, s.want) {
			t.Errorf("%s: matched entries %v, want %v", s.name, got, s.want)
		}
		if got := m.Len(); got != s.len {
			t.Errorf("%s: Len() = %d, want %d", s.name, got, s.len)
		}
	}
}

func removed(m *Matcher, id int64) error {
	if !m.Remove(id) {
		return errors.New("Remove reported no such entry")
	}
	return nil
}

func TestAddRejects(t *testing.T) {
	m := load(t, []List{{ID: 1, Name: "main", Kind: Block, Enabled: true}}, nil)
	tests := []struct {
		name  string
		entry Entry
		want  error
	}{
		{"unknown list", Entry{ID: 1, ListID: 2, Type: MD5, Value: md5Hex("a")}, ErrUnknownList},
		{"bad md5", Entry{ID: 1, ListID: 1, Type: MD5, Value: "abc"}, ErrInvalidEntry},
		{"bad sha256", Entry{ID: 1, ListID: 1, Type: SHA256, Value: md5Hex("a")}, ErrInvalidEntry},
		{"bad pdq", Entry{ID: 1, ListID: 1, Type: PDQ, Value: md5Hex("a")}, ErrInvalidEntry},
		{"unknown type", Entry{ID: 1, ListID: 1, Type: "photodna", Value: md5Hex("a")}, ErrInvalidEntry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := m.Add(tt.entry); !errors.Is(err, tt.want) {
				t.Errorf("Add() = %v, want %v", err, tt.want)
			}
			if m.Len() != 0 {
				t.Errorf("Len() = %d after a rejected Add", m.Len())
			}
		})
	}
}

// A rejected Add leaves the entry it would have replaced in place.
func TestAddRejectedKeepsOld(t *testing.T) {
	m := load(t, []List{{ID: 1, Name: "main", Kind: Block, Enabled: true}},
		[]Entry{{ID: 1, ListID: 1, Type: MD5, Value: md5Hex("a")}})
	if err := m.Add(Entry{ID: 1, ListID: 1, Type: MD5, Value: "nope"}); err == nil {
		t.Fatal("Add accepted a bad md5")
	}
	if got := matchedIDs(m, Query{MD5: md5Hex("a")}); !slices.Equal(got, []int64{1}) {
		t.Errorf("matched %v, want [1]", got)
	}
}

func TestSetListRejects(t *testing.T) {
	m := New()
	if err := m.SetList(List{ID: 1, Kind: "deny", Enabled: true}); !errors.Is(err, ErrInvalidList) {
		t.Errorf("SetList() = %v, want ErrInvalidList", err)
	}
	if err := m.Add(Entry{ID: 1, ListID: 1, Type: MD5, Value: md5Hex("a")}); !errors.Is(err, ErrUnknownList) {
		t.Errorf("Add to a rejected list = %v, want ErrUnknownList", err)
	}
}

// Load replaces everything, skips what is invalid, loads the rest, and
// says what it skipped.
func TestLoad(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	h := randomHash(r)
	m := load(t, []List{{ID: 9, Name: "old", Kind: Block, Enabled: true}},
		[]Entry{{ID: 90, ListID: 9, Type: MD5, Value: md5Hex("old")}})

	err := m.Load(
		[]List{
			{ID: 1, Name: "main", Kind: Block, Enabled: true},
			{ID: 2, Name: "broken", Kind: "bad", Enabled: true},
		},
		[]Entry{
			{ID: 1, ListID: 1, Type: PDQ, Value: randomHash(r).String()},
			{ID: 2, ListID: 1, Type: MD5, Value: "short"},
			{ID: 3, ListID: 2, Type: MD5, Value: md5Hex("on a broken list")},
			{ID: 4, ListID: 1, Type: SHA256, Value: sha256Hex("b")},
			// Of two entries with one ID the last wins.
			{ID: 1, ListID: 1, Type: PDQ, Value: h.String()},
		})
	for _, want := range []error{ErrInvalidList, ErrInvalidEntry, ErrUnknownList} {
		if !errors.Is(err, want) {
			t.Errorf("Load() = %v, want it to include %v", err, want)
		}
	}
	if m.Len() != 2 {
		t.Errorf("Len() = %d, want 2", m.Len())
	}
	checks := []struct {
		q    Query
		want []int64
	}{
		{Query{MD5: md5Hex("old")}, nil},
		{Query{PDQ: original(flip(h, 3))}, []int64{1}},
		{Query{SHA256: sha256Hex("b")}, []int64{4}},
	}
	for _, c := range checks {
		if got := matchedIDs(m, c.q); !slices.Equal(got, c.want) {
			t.Errorf("Match(%+v) = %v, want %v", c.q, got, c.want)
		}
	}
	// Adding after a Load extends the loaded index.
	if err := m.Add(Entry{ID: 5, ListID: 1, Type: PDQ, Value: flip(h, 1).String()}); err != nil {
		t.Fatal(err)
	}
	if got := matchedIDs(m, Query{PDQ: original(h)}); !slices.Equal(got, []int64{1, 5}) {
		t.Errorf("after Add: matched %v, want [1 5]", got)
	}
}

// A table full of bad rows gives a short error, not one line per row.
func TestLoadCapsErrors(t *testing.T) {
	entries := make([]Entry, 1000)
	for i := range entries {
		entries[i] = Entry{ID: int64(i), ListID: 1, Type: MD5, Value: "bad"}
	}
	err := New().Load([]List{{ID: 1, Kind: Block}}, entries)
	if err == nil {
		t.Fatal("Load accepted bad entries")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxLoadErrors+1 || !strings.Contains(lines[maxLoadErrors], "990 more") {
		t.Errorf("Load error has %d lines, ending %q", len(lines), lines[len(lines)-1])
	}
}
