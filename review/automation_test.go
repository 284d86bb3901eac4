package review

import (
	"strings"
	"testing"
)

func TestAutoVerdict(t *testing.T) {
	q := NewQueue("known")
	a := Automation{Enabled: true, BlockListID: 1, BlockDistance: 10, AllowListID: 2, AllowDistance: 0, ByID: 7, By: "lead@example.org"}
	entries := map[int64]AutoEntry{
		11: {ID: 11, ListID: 1, List: "known", Kind: "block", Category: "A1", Eligible: true},
		12: {ID: 12, ListID: 1, List: "known", Kind: "block", Category: "B2", Eligible: true},
		13: {ID: 13, ListID: 1, List: "known", Kind: "block", Category: "A1", Eligible: false},
		14: {ID: 14, ListID: 1, List: "known", Kind: "block", Category: "nope", Eligible: true},
		21: {ID: 21, ListID: 2, List: "fine", Kind: "allow", Eligible: true},
	}
	one := []Media{{ID: "m1"}}
	two := []Media{{ID: "m1"}, {ID: "m2"}}
	m := func(media string, list, entry int64, d int) MediaMatch {
		return MediaMatch{MediaID: media, ListID: list, EntryID: entry, Distance: d}
	}
	tests := []struct {
		name     string
		a        Automation
		media    []Media
		ms       []MediaMatch
		want     Verdict // "" for no decision
		category string
		distance int
	}{
		{"exact block match", a, one, []MediaMatch{m("m1", 1, 11, 0)}, Violating, "A1", 0},
		{"at the distance", a, one, []MediaMatch{m("m1", 1, 11, 10)}, Violating, "A1", 10},
		{"beyond the distance", a, one, []MediaMatch{m("m1", 1, 11, 11)}, "", "", 0},
		{"nearest of two matches", a, one, []MediaMatch{m("m1", 1, 11, 30), m("m1", 1, 11, 3)}, Violating, "A1", 3},
		{"not eligible", a, one, []MediaMatch{m("m1", 1, 13, 0)}, "", "", 0},
		{"unknown entry", a, one, []MediaMatch{m("m1", 1, 99, 0)}, "", "", 0},
		{"another list", a, one, []MediaMatch{m("m1", 5, 11, 0)}, "", "", 0},
		{"every media, weakest recorded", a, two, []MediaMatch{m("m1", 1, 11, 2), m("m2", 1, 11, 9)}, Violating, "A1", 9},
		{"one media unmatched", a, two, []MediaMatch{m("m1", 1, 11, 0)}, "", "", 0},
		{"categories differ", a, two, []MediaMatch{m("m1", 1, 11, 0), m("m2", 1, 12, 0)}, "", "", 0},
		{"category not the queue's", a, one, []MediaMatch{m("m1", 1, 14, 0)}, "", "", 0},
		{"allow list", a, one, []MediaMatch{m("m1", 2, 21, 0)}, NotViolating, "", 0},
		{"allow beyond its distance", a, one, []MediaMatch{m("m1", 2, 21, 1)}, "", "", 0},
		{"switched off", Automation{BlockListID: 1, BlockDistance: 10, ByID: 7}, one, []MediaMatch{m("m1", 1, 11, 0)}, "", "", 0},
		{"nobody configured it", Automation{Enabled: true, BlockListID: 1, BlockDistance: 10}, one, []MediaMatch{m("m1", 1, 11, 0)}, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := AutoVerdict(q, tt.a, tt.media, tt.ms, entries)
			if ok != (tt.want != "") {
				t.Fatalf("decided %v (%+v), want %q", ok, d, tt.want)
			}
			if !ok {
				return
			}
			if d.Verdict != tt.want || d.Category != tt.category || d.AutoDistance != tt.distance || d.Kind != KindAutomated || d.ReviewerID != 7 || !d.Final {
				t.Errorf("decision %+v, want %s %q at distance %d by 7", d, tt.want, tt.category, tt.distance)
			}
			if !strings.Contains(d.Note, "lead@example.org") || !strings.Contains(d.Note, "distance") {
				t.Errorf("note %q does not say who configured it and the distance", d.Note)
			}
		})
	}
}

func TestMergeMatchesKeepsAllowOverBlock(t *testing.T) {
	block := MediaMatch{MediaID: "m1", EntryID: 1, Kind: "block"}
	allow := MediaMatch{MediaID: "m1", EntryID: 2, Kind: "allow"}
	other := MediaMatch{MediaID: "m2", EntryID: 3, Kind: "block"}
	next, added, removed := MergeMatches([]MediaMatch{block, other}, []MediaMatch{allow, other}, nil)
	if len(next) != 2 || len(added) != 1 || added[0] != allow || len(removed) != 1 || removed[0] != block {
		t.Errorf("an allow match added: next %+v added %+v removed %+v; want the block match of m1 removed", next, added, removed)
	}
	next, added, removed = MergeMatches([]MediaMatch{allow}, []MediaMatch{block}, nil)
	if len(next) != 1 || len(added) != 0 || len(removed) != 0 {
		t.Errorf("a block match on allowed media: next %+v added %+v removed %+v; want nothing stored", next, added, removed)
	}
	next, _, removed = MergeMatches([]MediaMatch{block, other}, nil, []MediaMatch{{MediaID: "m1", EntryID: 1}})
	if len(next) != 1 || len(removed) != 1 || removed[0] != block {
		t.Errorf("a retraction: next %+v removed %+v", next, removed)
	}
}
