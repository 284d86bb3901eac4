package review

import (
	"context"
	"time"
)

// ItemStatus is where an item is in its life; see docs in state.go once
// the review flow lands. Ingest creates items as queued.
type ItemStatus string

const (
	StatusQueued       ItemStatus = "queued"
	StatusLeased       ItemStatus = "leased"
	StatusSecondReview ItemStatus = "awaiting_second_review"
	StatusEscalated    ItemStatus = "escalated"
	StatusDecided      ItemStatus = "decided"
	StatusReported     ItemStatus = "reported"
	StatusPurged       ItemStatus = "purged"
)

// Item is one flagged piece of content: one or more images and what the
// platform said about them.
type Item struct {
	ID         int64
	SourceID   int64
	Source     string
	ExternalID string
	Status     ItemStatus
	QueueID    int64
	Queue      string
	Priority   int
	RuleID     int64 // the routing rule that picked the queue; 0 for the default queue
	Metadata   Metadata
	ReceivedAt time.Time
	Media      []Media
	Matches    []MediaMatch // hash-list matches found at ingest
	// The current lease, if any: who holds the item, since when, until when.
	LeaseUserID int64
	LeasedAt    time.Time
	LeaseUntil  time.Time
	DecidedAt   time.Time
	// Cluster is the near-duplicate cluster the item is in (ID 0: none).
	Cluster ClusterLink
	// ClusterCandidates are, at ingest only, the waiting items the new
	// item may join, best first; CreateItem joins the first still waiting.
	ClusterCandidates []ClusterCandidate
}

// HeldBy reports whether u holds the item's lease at now.
func (it Item) HeldBy(userID int64, now time.Time) bool {
	return it.LeaseUserID == userID && !now.After(it.LeaseUntil)
}

// MediaByID returns the item's media with that id.
func (it Item) MediaByID(id string) (Media, bool) {
	for _, m := range it.Media {
		if m.ID == id {
			return m, true
		}
	}
	return Media{}, false
}

// Media is one image of an item. Hashes are of the original bytes exactly
// as received, which are kept as evidence.
type Media struct {
	ID          string
	Position    int
	FileName    string
	ContentType string
	Size        int64
	Width       int
	Height      int
	SHA256      string
	MD5         string
	PDQ         string
	PDQQuality  int
	PurgedAt    time.Time // when retention deleted it; zero while kept
}

// MediaKind names an encrypted object stored for a media: the original and
// the renditions rendered at ingest.
type MediaKind string

const (
	KindOriginal MediaKind = "original"
	KindPreview  MediaKind = "preview" // grey, strongly blurred: the only image lists show
	KindGrey     MediaKind = "grey"    // grey, unblurred: the first reveal step
)

// ObjectID is the vault name of one of a media's objects.
func ObjectID(mediaID string, kind MediaKind) string { return mediaID + "-" + string(kind) }

// StoredObject is what the database holds of one encrypted object of a
// media: its wrapped data key and, for an object kept in the database
// rather than as a vault file, the sealed bytes themselves.
type StoredObject struct {
	Key    []byte
	Sealed []byte // nil: the vault file ObjectID names holds them
}

// MediaObjects maps each stored object of a media to what the database
// holds of it.
type MediaObjects map[MediaKind]StoredObject

// ReadObject decrypts one stored object of a media, wherever it is kept.
func ReadObject(ctx context.Context, v Vault, mediaID string, kind MediaKind, o StoredObject) ([]byte, error) {
	id := ObjectID(mediaID, kind)
	if o.Sealed != nil {
		return v.OpenObject(id, o.Sealed, o.Key)
	}
	return v.Get(ctx, id, o.Key)
}

// QueueRef names a queue, for pickers.
type QueueRef struct {
	ID   int64
	Name string
}
