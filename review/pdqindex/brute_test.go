package pdqindex

import (
	"slices"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

func TestBruteForce(t *testing.T) {
	q := pdq.Hash{}
	entries := []Entry{
		{ID: 5, Hash: pdq.Hash{0: 0xff}},       // distance 8
		{ID: 2, Hash: pdq.Hash{}},              // 0
		{ID: 9, Hash: pdq.Hash{31: 1}},         // 1
		{ID: 1, Hash: pdq.Hash{0: 0x0f}},       // 4
		{ID: 3, Hash: pdq.Hash{4: 1, 20: 0x7}}, // 4
	}
	for _, tc := range []struct {
		threshold int
		want      []Match
	}{
		{-1, nil},
		{0, []Match{{2, 0}}},
		{4, []Match{{2, 0}, {9, 1}, {1, 4}, {3, 4}}},
		{256, []Match{{2, 0}, {9, 1}, {1, 4}, {3, 4}, {5, 8}}},
	} {
		if got := BruteForce(entries, q, tc.threshold); !slices.Equal(got, tc.want) {
			t.Errorf("threshold %d: %v, want %v", tc.threshold, got, tc.want)
		}
	}
}
