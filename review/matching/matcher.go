package matching

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/loupe-review/loupe/review/pdqindex"
)

// Matcher holds the active entries of every list in memory. It is safe for
// concurrent use: matches run in parallel, changes one at a time.
type Matcher struct {
	mu      sync.RWMutex
	lists   map[int64]List
	entries map[int64]entry
	// exact maps an MD5 or SHA-256 value to the entries holding it; the
	// same value may be on several lists.
	exact map[exactKey][]int64
	// index holds every PDQ entry, of enabled lists and disabled ones alike,
	// under its entry ID. One index searched once per variant beats one
	// index per list: most lists are small and a query would pay for each.
	index *pdqindex.Index
	// maxThreshold is the largest threshold of an enabled list, the
	// distance the index is searched at; -1 when no list is enabled.
	maxThreshold int
}

type exactKey struct {
	typ, value string
}

// New returns an empty matcher; the zero Matcher is not usable.
func New() *Matcher {
	return &Matcher{
		lists:        map[int64]List{},
		entries:      map[int64]entry{},
		exact:        map[exactKey][]int64{},
		index:        pdqindex.New(),
		maxThreshold: -1,
	}
}

// maxLoadErrors caps the problems Load reports, so that a badly broken
// table gives a readable error rather than one line per row.
const maxLoadErrors = 10

// Load replaces the matcher's lists and entries, as at start. An invalid
// list or entry (or an entry of an unknown or invalid list) is skipped and
// reported in the error, and everything else is loaded all the same:
// failing to recognise the rest of the known harmful content because of one
// bad row would be worse. Of two valid lists or entries with the same ID
// the last wins.
func (m *Matcher) Load(lists []List, entries []Entry) error {
	var errs []error
	fresh := New()
	for _, l := range lists {
		if err := l.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		fresh.lists[l.ID] = l
	}
	for _, e := range entries {
		p, err := fresh.prepare(e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fresh.entries[e.ID] = p
	}
	var batch []pdqindex.Entry
	for id, p := range fresh.entries {
		if p.Type == PDQ {
			batch = append(batch, pdqindex.Entry{ID: uint64(id), Hash: p.hash})
		} else {
			k := exactKey{p.Type, p.Value}
			fresh.exact[k] = append(fresh.exact[k], id)
		}
	}
	// Building the index at once is much faster than adding one by one.
	fresh.index = pdqindex.Build(batch)
	fresh.maxThreshold = fresh.enabledMaxThreshold()

	m.mu.Lock()
	m.lists, m.entries, m.exact, m.index, m.maxThreshold = fresh.lists, fresh.entries, fresh.exact, fresh.index, fresh.maxThreshold
	m.mu.Unlock()

	if n := len(errs); n > maxLoadErrors {
		errs = append(errs[:maxLoadErrors], fmt.Errorf("matching: and %d more skipped", n-maxLoadErrors))
	}
	return errors.Join(errs...)
}

// SetList creates or updates a list: its name, kind, threshold or enabled
// state. Its entries are kept, and match under the new settings at once.
func (m *Matcher) SetList(l List) error {
	if err := l.validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lists[l.ID] = l
	m.maxThreshold = m.enabledMaxThreshold()
	return nil
}

// Add adds an active entry, matchable as soon as Add returns. Adding an ID
// the matcher already holds replaces that entry, so replaying a change is
// harmless.
func (m *Matcher) Add(e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.prepare(e)
	if err != nil {
		return err
	}
	m.unindex(e.ID)
	m.entries[e.ID] = p
	if p.Type == PDQ {
		m.index.Add(uint64(e.ID), p.hash)
	} else {
		k := exactKey{p.Type, p.Value}
		m.exact[k] = append(m.exact[k], e.ID)
	}
	return nil
}

// Remove removes an entry, as when it is retracted, and reports whether
// the matcher held it.
func (m *Matcher) Remove(entryID int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.unindex(entryID)
}

// Len returns the number of entries held, of enabled lists and disabled.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.entries)
}

// prepare validates e against the lists held. The caller holds the lock.
func (m *Matcher) prepare(e Entry) (entry, error) {
	if _, ok := m.lists[e.ListID]; !ok {
		return entry{}, fmt.Errorf("matching: entry %d: %w %d", e.ID, ErrUnknownList, e.ListID)
	}
	return prepare(e)
}

// unindex drops an entry from every structure and reports whether it was
// there. The caller holds the write lock.
func (m *Matcher) unindex(id int64) bool {
	e, ok := m.entries[id]
	if !ok {
		return false
	}
	delete(m.entries, id)
	if e.Type == PDQ {
		m.index.Remove(uint64(id))
		return true
	}
	k := exactKey{e.Type, e.Value}
	ids := slices.DeleteFunc(m.exact[k], func(x int64) bool { return x == id })
	if len(ids) == 0 {
		delete(m.exact, k)
	} else {
		m.exact[k] = ids
	}
	return true
}

// enabledMaxThreshold is the largest threshold of an enabled list, or -1.
func (m *Matcher) enabledMaxThreshold() int {
	t := -1
	for _, l := range m.lists {
		if l.Enabled {
			t = max(t, l.threshold())
		}
	}
	return t
}
