package review

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var chainKey = bytes.Repeat([]byte{3}, 32)

// chain builds n entries; those before keyedFrom (if not 0) are hashed the
// way entries were before the chain was keyed.
func chain(n int, keyedFrom int64) []AuditEntry {
	var out []AuditEntry
	prev := GenesisHash
	for i := int64(1); i <= int64(n); i++ {
		e := AuditEntry{ID: i, At: time.Unix(i, 0), Actor: "a", Action: "x", Details: "{}", PrevHash: prev}
		if i == keyedFrom {
			e.Action = ActionAuditKeyed
		}
		e.Hash = ChainMAC(chainKey, e)
		if keyedFrom != 0 && i < keyedFrom {
			e.Hash = LegacyChainHash(e)
		}
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestChainVerifier(t *testing.T) {
	cases := []struct {
		name      string
		entries   []AuditEntry
		keyedFrom int64
		anchor    func([]AuditEntry) ChainHead
		brokeAt   int64
		reason    string
	}{
		{"keyed", chain(3, 0), 0, nil, 0, ""},
		{"earlier entries, then keyed", chain(5, 3), 3, nil, 0, ""},
		{"earlier entries taken for keyed ones", chain(5, 3), 0, nil, 1, "keyed hash"},
		{"keyed entries taken for earlier ones", chain(5, 0), 9, nil, 1, "contents do not match the entry's hash"},
		{"edited", edit(chain(3, 0), 1, func(e *AuditEntry) { e.Target = "changed" }), 0, nil, 2, "altered"},
		{"deleted", append(chain(3, 0)[:1], chain(3, 0)[2]), 0, nil, 3, "expected entry 2"},
		{"anchored", chain(4, 0), 0, headAt(2), 0, ""},
		{"anchor differs", chain(4, 0), 0, func([]AuditEntry) ChainHead { return ChainHead{ID: 2, Hash: GenesisHash} }, 2, "anchored head"},
		{"truncated before the anchor", chain(4, 0)[:2], 0, func([]AuditEntry) ChainHead { return ChainHead{ID: 4, Hash: chain(4, 0)[3].Hash} }, 3, "newer entries were deleted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := &ChainVerifier{Key: chainKey, KeyedFrom: tc.keyedFrom}
			if tc.anchor != nil {
				v.Anchor = tc.anchor(tc.entries)
			}
			var err error
			for _, e := range tc.entries {
				if err = v.Next(e); err != nil {
					break
				}
			}
			head := v.Head()
			if err == nil {
				head, err = v.Finish()
			}
			var br *ChainBreak
			switch {
			case tc.brokeAt == 0 && (err != nil || head != ChainHead{ID: tc.entries[len(tc.entries)-1].ID, Hash: tc.entries[len(tc.entries)-1].Hash}):
				t.Errorf("intact chain: head %v, err %v", head, err)
			case tc.brokeAt != 0 && (!errors.As(err, &br) || br.ID != tc.brokeAt || !strings.Contains(br.Reason, tc.reason)):
				t.Errorf("err = %v, want a break at entry %d (%s)", err, tc.brokeAt, tc.reason)
			}
		})
	}
}

func edit(es []AuditEntry, i int, f func(*AuditEntry)) []AuditEntry {
	f(&es[i])
	return es
}

func headAt(id int64) func([]AuditEntry) ChainHead {
	return func(es []AuditEntry) ChainHead { return ChainHead{ID: id, Hash: es[id-1].Hash} }
}

func TestChainHeadText(t *testing.T) {
	h := ChainHead{ID: 1234, Hash: strings.Repeat("ab", 32)}
	got, err := ParseChainHead(" " + strings.ToUpper(h.String()) + "\n")
	if err != nil || got != h {
		t.Errorf("round trip: %v, %v", got, err)
	}
	for _, bad := range []string{"", "1234", "1234:abc", "x:" + h.Hash, "-1:" + h.Hash, h.Hash} {
		if _, err := ParseChainHead(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
