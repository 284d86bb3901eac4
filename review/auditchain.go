package review

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// The audit log is a chain: each entry's hash covers its fields and the
// previous entry's hash, so an edited, deleted or reordered entry breaks
// every link after it. The hash is an HMAC-SHA256 under the audit key,
// which is derived from the master key: someone who can write the database
// but does not hold the master key cannot recompute a chain that verifies.
// Whoever holds the key can, and nobody can tell from the log alone that
// its newest entries were removed; a head anchored elsewhere (ChainHead)
// catches both for everything up to the anchor.
//
// Entries written before the chain was keyed keep their plain SHA-256
// hashes. The first keyed entry (ActionAuditKeyed) links to their head, so
// they cannot be changed without breaking it either.

// GenesisHash is the "previous hash" of the first entry in the chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditKeyLabel is the HKDF label that derives the audit key from the master key.
const AuditKeyLabel = "loupe audit chain v1"

// ChainMAC computes an entry's keyed hash from its fields and the previous
// hash. The id is included so that deleting or reordering rows breaks the chain.
func ChainMAC(key []byte, e AuditEntry) string {
	return chainSum(hmac.New(sha256.New, key), e)
}

// PendingMAC authenticates an entry waiting to be chained: its sequence
// number and fields under the audit key, so that whoever changes it before
// it is chained is found out when it is. Its "previous hash" is a marker no
// chain has, so a pending MAC never passes for a chain hash.
func PendingMAC(key []byte, seq int64, e AuditEntry) string {
	e.ID, e.PrevHash = seq, "pending"
	return ChainMAC(key, e)
}

// LegacyChainHash is the unkeyed hash of entries written before the chain
// was keyed.
func LegacyChainHash(e AuditEntry) string { return chainSum(sha256.New(), e) }

func chainSum(h hash.Hash, e AuditEntry) string {
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s",
		e.ID, e.At.UTC().Format(TimeFormat), e.Actor, e.Action, e.Target, e.Details, e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// ChainHead names the newest entry of a chain: operators write it down
// elsewhere (a ticket, a log shipped off the machine) and later check the
// log against it. Its text form is "ID:HASH".
type ChainHead struct {
	ID   int64
	Hash string
}

func (h ChainHead) String() string { return strconv.FormatInt(h.ID, 10) + ":" + h.Hash }

// IsZero reports whether h names no entry (no anchor was given).
func (h ChainHead) IsZero() bool { return h == ChainHead{} }

// ParseChainHead reads the "ID:HASH" form printed by `loupe audit head`.
func ParseChainHead(s string) (ChainHead, error) {
	id, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	b, herr := hex.DecodeString(hash)
	if !ok || err != nil || n < 0 || herr != nil || len(b) != sha256.Size {
		return ChainHead{}, errors.New("an audit head looks like 1234:<64 hex digits>, as `loupe audit head` prints it")
	}
	return ChainHead{ID: n, Hash: strings.ToLower(hash)}, nil
}

// ChainBreak describes the first entry at which an audit chain fails.
type ChainBreak struct {
	ID     int64
	Reason string
}

func (b *ChainBreak) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.ID, b.Reason)
}

// ChainVerifier checks entries one at a time, in id order, so a long log
// never has to be held in memory. Set its fields, then call Next for each
// entry and Finish at the end.
type ChainVerifier struct {
	Key []byte // the audit key
	// KeyedFrom is the id of the first keyed entry (ActionAuditKeyed) when
	// the log began before the chain was keyed; entries before it are
	// checked as legacy entries. 0 means every entry must be keyed.
	KeyedFrom int64
	// Anchor, when set, is a head recorded earlier: the chain must still
	// contain it unchanged.
	Anchor ChainHead

	head ChainHead
}

// Next checks one entry; it returns a *ChainBreak at the first problem.
func (v *ChainVerifier) Next(e AuditEntry) error {
	prev := v.head.Hash
	if v.head.ID == 0 {
		prev = GenesisHash
	}
	keyed := v.KeyedFrom == 0 || e.ID >= v.KeyedFrom
	switch {
	case e.ID != v.head.ID+1:
		return &ChainBreak{ID: e.ID, Reason: fmt.Sprintf("expected entry %d next (an entry was deleted or reordered)", v.head.ID+1)}
	case e.PrevHash != prev:
		return &ChainBreak{ID: e.ID, Reason: "previous-hash link does not match the entry before it"}
	case keyed && !hmac.Equal([]byte(ChainMAC(v.Key, e)), []byte(e.Hash)):
		return &ChainBreak{ID: e.ID, Reason: "contents do not match the entry's keyed hash (the entry was altered, or written without this installation's master key)"}
	case !keyed && LegacyChainHash(e) != e.Hash:
		return &ChainBreak{ID: e.ID, Reason: "contents do not match the entry's hash (the entry was altered)"}
	case e.ID == v.Anchor.ID && e.Hash != v.Anchor.Hash:
		return &ChainBreak{ID: e.ID, Reason: "the entry differs from the anchored head: the log was rewritten after the anchor was taken"}
	}
	v.head = ChainHead{ID: e.ID, Hash: e.Hash}
	return nil
}

// Finish returns the head of the verified chain, or a *ChainBreak if the
// chain ends before the anchor: its newest entries were deleted.
func (v *ChainVerifier) Finish() (ChainHead, error) {
	if v.Anchor.ID > v.head.ID {
		return v.head, &ChainBreak{ID: v.head.ID + 1, Reason: fmt.Sprintf("the log ends at entry %d but the anchored head is entry %d (newer entries were deleted)", v.head.ID, v.Anchor.ID)}
	}
	return v.head, nil
}

// Head is the last entry verified so far (ID 0 before any).
func (v *ChainVerifier) Head() ChainHead { return v.head }
