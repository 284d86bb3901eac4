package matching

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// fixture is a matcher with a default-threshold block list, a strict one,
// a disabled one and an allow list, and the hashes on them.
type fixture struct {
	m                  *Matcher
	hA, hB, hC, hD, hE pdq.Hash
}

const (
	listMain   = 1 // block, default threshold
	listStrict = 2 // block, threshold 10
	listOff    = 3 // block, disabled
	listFP     = 4 // allow
)

func newFixture(t *testing.T) fixture {
	r := rand.New(rand.NewPCG(1, 2))
	f := fixture{hA: randomHash(r), hB: randomHash(r), hC: randomHash(r), hD: randomHash(r), hE: randomHash(r)}
	lists := []List{
		{ID: listMain, Name: "main", Kind: Block, Enabled: true},
		{ID: listStrict, Name: "strict", Kind: Block, Threshold: 10, Enabled: true},
		{ID: listOff, Name: "off", Kind: Block, Enabled: false},
		{ID: listFP, Name: "false positives", Kind: Allow, Enabled: true},
	}
	entries := []Entry{
		{ID: 10, ListID: listMain, Type: PDQ, Value: f.hA.String(), Category: "csam"},
		{ID: 11, ListID: listMain, Type: MD5, Value: md5Hex("a"), Category: "csam"},
		{ID: 12, ListID: listMain, Type: SHA256, Value: sha256Hex("b"), Category: "terror"},
		// hB is on two lists with different thresholds.
		{ID: 20, ListID: listStrict, Type: PDQ, Value: f.hB.String(), Category: "ncii"},
		{ID: 21, ListID: listMain, Type: PDQ, Value: f.hB.String(), Category: "csam"},
		{ID: 30, ListID: listOff, Type: PDQ, Value: f.hC.String(), Category: "spam"},
		{ID: 31, ListID: listOff, Type: MD5, Value: md5Hex("c"), Category: "spam"},
		// hD and md5("d") are both blocked and known false positives.
		{ID: 40, ListID: listFP, Type: PDQ, Value: f.hD.String()},
		{ID: 41, ListID: listMain, Type: PDQ, Value: f.hD.String(), Category: "csam"},
		{ID: 42, ListID: listFP, Type: MD5, Value: md5Hex("d")},
		{ID: 43, ListID: listMain, Type: MD5, Value: md5Hex("d"), Category: "csam"},
		// hE is a false positive only near its allow entry, whose list has
		// the default threshold: a block entry 40 away is matched by
		// queries too far from hE to be suppressed.
		{ID: 50, ListID: listFP, Type: PDQ, Value: f.hE.String()},
		{ID: 51, ListID: listMain, Type: PDQ, Value: flip(f.hE, 40).String(), Category: "csam"},
	}
	f.m = load(t, lists, entries)
	return f
}

// Expected matches, by entry.
func pdqMatch(list int64, name string, kind ListKind, entry int64, category string, distance int, variant string) Match {
	return Match{ListID: list, List: name, Kind: kind, EntryID: entry, Category: category, HashType: PDQ, Distance: distance, Variant: variant}
}

func exactMatch(list int64, name string, kind ListKind, entry int64, category, typ string) Match {
	return Match{ListID: list, List: name, Kind: kind, EntryID: entry, Category: category, HashType: typ}
}

func TestMatch(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewPCG(3, 4))
	unrelated := randomHash(r)
	tests := []struct {
		name string
		q    Query
		want []Match
	}{
		{"nothing", Query{}, nil},
		{"unrelated", Query{MD5: md5Hex("x"), SHA256: sha256Hex("x"), PDQ: original(unrelated)}, nil},
		{"md5", Query{MD5: md5Hex("a")},
			[]Match{exactMatch(listMain, "main", Block, 11, "csam", MD5)}},
		{"md5 upper case", Query{MD5: strings.ToUpper(md5Hex("a"))},
			[]Match{exactMatch(listMain, "main", Block, 11, "csam", MD5)}},
		{"sha256", Query{SHA256: sha256Hex("b")},
			[]Match{exactMatch(listMain, "main", Block, 12, "terror", SHA256)}},
		{"an md5 value given as sha256", Query{SHA256: md5Hex("a")}, nil},
		{"pdq equal", Query{PDQ: original(f.hA)},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 0, "original")}},
		{"pdq at the threshold", Query{PDQ: original(flip(f.hA, 31))},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 31, "original")}},
		{"pdq just outside", Query{PDQ: original(flip(f.hA, 32))}, nil},
		{"exact and pdq together", Query{MD5: md5Hex("a"), PDQ: original(f.hA)}, []Match{
			pdqMatch(listMain, "main", Block, 10, "csam", 0, "original"),
			exactMatch(listMain, "main", Block, 11, "csam", MD5),
		}},
		{"within both list thresholds", Query{PDQ: original(flip(f.hB, 10))}, []Match{
			pdqMatch(listMain, "main", Block, 21, "csam", 10, "original"),
			pdqMatch(listStrict, "strict", Block, 20, "ncii", 10, "original"),
		}},
		{"within the default threshold only", Query{PDQ: original(flip(f.hB, 11))},
			[]Match{pdqMatch(listMain, "main", Block, 21, "csam", 11, "original")}},
		{"disabled list pdq", Query{PDQ: original(f.hC)}, nil},
		{"disabled list md5", Query{MD5: md5Hex("c")}, nil},
		{"allow suppresses block pdq", Query{PDQ: original(flip(f.hD, 20))},
			[]Match{pdqMatch(listFP, "false positives", Allow, 40, "", 20, "original")}},
		{"allow suppresses block md5", Query{MD5: md5Hex("d")},
			[]Match{exactMatch(listFP, "false positives", Allow, 42, "", MD5)}},
		{"allow by md5 suppresses block by pdq", Query{MD5: md5Hex("d"), PDQ: original(f.hA)},
			[]Match{exactMatch(listFP, "false positives", Allow, 42, "", MD5)}},
		{"allow beyond its threshold suppresses nothing", Query{PDQ: original(flip(f.hE, 33))},
			// flip(hE, 33) is 7 bits from flip(hE, 40): both flip the same first 33 bits.
			[]Match{pdqMatch(listMain, "main", Block, 51, "csam", 7, "original")}},
		{"allow within its threshold suppresses", Query{PDQ: original(flip(f.hE, 31))},
			[]Match{pdqMatch(listFP, "false positives", Allow, 50, "", 31, "original")}},
		{"unusable quality: no pdq matching, exact still matches", Query{
			MD5: md5Hex("a"),
			PDQ: []pdq.Result{{Hash: f.hA, Quality: pdq.MinQuality - 1}},
		}, []Match{exactMatch(listMain, "main", Block, 11, "csam", MD5)}},
		{"lowest usable quality", Query{PDQ: []pdq.Result{{Hash: f.hA, Quality: pdq.MinQuality}}},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 0, "original")}},
		{"unusable allow hash does not suppress", Query{MD5: md5Hex("a"), PDQ: []pdq.Result{{Hash: f.hD, Quality: 10}}},
			[]Match{exactMatch(listMain, "main", Block, 11, "csam", MD5)}},
		{"zero hash", Query{PDQ: original(pdq.Hash{})}, nil},
		{"variant", Query{PDQ: []pdq.Result{{Hash: unrelated, Quality: 100}, {Hash: f.hA, Quality: 100}}},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 0, "rot90")}},
		{"original preferred on a tie", Query{PDQ: []pdq.Result{{Hash: flip(f.hA, 3), Quality: 100}, {Hash: flip(f.hA, 3), Quality: 100}}},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 3, "original")}},
		{"nearest variant wins", Query{PDQ: []pdq.Result{{Hash: flip(f.hA, 5), Quality: 100}, {Hash: unrelated, Quality: 100}, {Hash: flip(f.hA, 2), Quality: 100}}},
			[]Match{pdqMatch(listMain, "main", Block, 10, "csam", 2, "rot180")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.m.Match(tt.q)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Match() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// Only the eight variants are matched: extra hashes are not variants.
func TestMatchIgnoresExtraHashes(t *testing.T) {
	f := newFixture(t)
	q := make([]pdq.Result, pdq.NumVariants+1)
	q[pdq.NumVariants] = pdq.Result{Hash: f.hA, Quality: 100}
	if got := f.m.Match(Query{PDQ: q}); len(got) != 0 {
		t.Errorf("Match() = %+v, want none", got)
	}
}

func TestCompareMatches(t *testing.T) {
	// In the order compareMatches must give.
	want := []Match{
		{Kind: Block, Distance: 0, List: "b", EntryID: 9},
		{Kind: Block, Distance: 1, List: "a", EntryID: 5},
		{Kind: Block, Distance: 1, List: "b", EntryID: 3},
		{Kind: Block, Distance: 1, List: "b", EntryID: 4},
		{Kind: Allow, Distance: 0, List: "z", EntryID: 1},
		{Kind: Allow, Distance: 2, List: "a", EntryID: 1},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, compareMatches)
	if !slices.Equal(got, want) {
		t.Errorf("sorted =\n%+v\nwant\n%+v", got, want)
	}
}
