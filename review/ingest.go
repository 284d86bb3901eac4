package review

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"sync"

	"github.com/loupe-review/loupe/review/imaging"
	"github.com/loupe-review/loupe/review/pdq"
	"github.com/loupe-review/loupe/review/secret"
)

// Vault stores encrypted objects, each under its own data key wrapped by
// the master key, in a local directory or a bucket. Put returns only once
// the object is durable (file synced, or the bucket's PUT answered);
// SealObject encrypts the same way but hands the sealed bytes back, for
// small objects the database keeps. Ping reports whether the storage
// answers.
type Vault interface {
	Put(ctx context.Context, id string, plain []byte) (wrappedKey []byte, err error)
	Get(ctx context.Context, id string, wrappedKey []byte) ([]byte, error)
	Delete(ctx context.Context, id string) error
	SealObject(id string, plain []byte) (sealed, wrappedKey []byte, err error)
	OpenObject(id string, sealed, wrappedKey []byte) ([]byte, error)
	Ping(ctx context.Context) error
}

// Upload is one media file as received.
type Upload struct {
	Name  string // the name the platform gave it; kept for reports, never used as a path
	Bytes []byte
}

// Ingester turns what a platform sends into a stored, routed item.
type Ingester struct {
	Items  ItemStore
	Rules  RuleStore
	Queues interface {
		FindQueueID(ctx context.Context, name string) (int64, error)
	}
	Vault  Vault
	Limits IngestLimits // read once, at the first ingest or decode
	Random io.Reader
	// Matcher finds hash-list matches; nil when hash lists are not in use.
	Matcher interface {
		Match(mediaID, md5, sha256 string, variants []pdq.Result) []MediaMatch
	}
	// Automation decides known material without a look once the item is
	// stored (nil: none; see Automator.DecideKnown).
	Automation interface {
		DecideKnown(ctx context.Context, it Item) Item
	}
	// Clusters finds the waiting copies a new item joins; nil: none.
	Clusters *ClusterIndex

	renderLocks [64]sync.Mutex
	setup       sync.Once
	limits      IngestLimits     // Limits with defaults, fixed at first use
	cpu         chan struct{}    // one slot per worker for decoding and hashing
	decoder     *imaging.Decoder // every decode, under one memory budget
}

// init fixes the limits at first use.
func (in *Ingester) init() {
	in.setup.Do(func() {
		in.limits = in.Limits.WithDefaults()
		in.cpu = make(chan struct{}, in.limits.Workers)
		in.decoder = imaging.NewDecoder(in.limits.imaging(), in.limits.DecodeMemory)
	})
}

// compute runs CPU-bound work on at most Limits.Workers uploads at once.
func (in *Ingester) compute(ctx context.Context, fn func() error) error {
	in.init()
	select {
	case in.cpu <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-in.cpu }()
	return fn()
}

// Ingest validates metadata and media, stores the encrypted original and
// its renditions, routes the item, and commits item, media, keys and audit
// entry together. A second call with the same external id returns the
// stored item with created false and changes nothing.
func (in *Ingester) Ingest(ctx context.Context, src APIToken, metaJSON []byte, uploads []Upload) (it Item, created bool, err error) {
	m, err := ParseMetadata(metaJSON)
	if err != nil {
		return Item{}, false, err
	}
	if it, err := in.Items.FindItemByExternalID(ctx, src.SourceID, m.ExternalID); err == nil {
		return it, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Item{}, false, err
	}
	if len(uploads) == 0 {
		return Item{}, false, Invalid("media", "at least one media file is required")
	}
	if err := in.CheckMediaCount(len(uploads)); err != nil {
		return Item{}, false, err
	}
	if len(m.Media) > len(uploads) {
		return Item{}, false, Invalid("media", fmt.Sprintf("metadata describes %d media files but %d were sent", len(m.Media), len(uploads)))
	}
	it = Item{SourceID: src.SourceID, Source: src.Source, ExternalID: m.ExternalID, Status: StatusQueued, Metadata: m, Priority: m.EffectivePriority()}
	objects := map[string]MediaObjects{}
	var written []string
	defer func() {
		if err != nil { // nothing half-stored survives a failure
			for _, id := range written {
				_ = in.Vault.Delete(context.WithoutCancel(ctx), id)
			}
		}
	}()
	var variants [pdq.NumVariants]pdq.Result // the first file's, for clustering
	for i, up := range uploads {
		var media Media
		var preview []byte
		var matches []MediaMatch
		err := in.compute(ctx, func() error {
			var err error
			var v [pdq.NumVariants]pdq.Result
			media, preview, matches, v, err = in.prepare(ctx, i, up)
			if i == 0 {
				variants = v
			}
			return err
		})
		if err != nil {
			return Item{}, false, err
		}
		id := ObjectID(media.ID, KindOriginal)
		key, err := in.Vault.Put(ctx, id, up.Bytes)
		if err != nil {
			return Item{}, false, fmt.Errorf("review: store media %d: %w", i, err)
		}
		written = append(written, id)
		// The preview, a few KiB, is kept in the database: a file of its
		// own cost every item a file creation and two fsyncs, about 6% of
		// ingest's throughput.
		sealed, previewKey, err := in.Vault.SealObject(ObjectID(media.ID, KindPreview), preview)
		if err != nil {
			return Item{}, false, fmt.Errorf("review: seal preview of media %d: %w", i, err)
		}
		objects[media.ID] = MediaObjects{KindOriginal: {Key: key}, KindPreview: {Key: previewKey, Sealed: sealed}}
		it.Media = append(it.Media, media)
		it.Matches = append(it.Matches, matches...)
	}
	if err = in.route(ctx, &it); err != nil {
		return Item{}, false, err
	}
	if in.Clusters != nil && len(it.Media) == 1 {
		if it.ClusterCandidates, err = in.Clusters.Candidates(ctx, it.QueueID, it.Media[0], variants[:]); err != nil {
			return Item{}, false, err
		}
	}
	ev := AuditEvent{Actor: "token:" + src.Name, Action: ActionItemIngested, Details: map[string]string{
		"source": src.Source, "external_id": m.ExternalID, "queue": it.Queue, "media": strconv.Itoa(len(it.Media)),
	}}
	it, err = in.Items.CreateItem(ctx, it, objects, ev)
	if errors.Is(err, ErrConflict) { // the same item arrived twice at once: keep the first
		for _, id := range written {
			_ = in.Vault.Delete(context.WithoutCancel(ctx), id)
		}
		written = nil
		it, err = in.Items.FindItemByExternalID(ctx, src.SourceID, m.ExternalID)
		return it, false, err
	}
	if err != nil {
		return Item{}, false, err
	}
	if in.Clusters != nil {
		in.Clusters.Forget(it.QueueID, it.ClusterCandidates)
		it.ClusterCandidates = nil
	}
	if in.Automation != nil {
		it = in.Automation.DecideKnown(ctx, it)
	}
	return it, true, nil
}

// prepare checks one upload, renders its preview, and finds its hash-list
// matches; it returns the file's PDQ hashes in all eight variants too.
func (in *Ingester) prepare(ctx context.Context, i int, up Upload) (Media, []byte, []MediaMatch, [pdq.NumVariants]pdq.Result, error) {
	var none [pdq.NumVariants]pdq.Result
	field := "media[" + strconv.Itoa(i) + "]"
	if int64(len(up.Bytes)) > in.limits.MaxFileBytes {
		return Media{}, nil, nil, none, fmt.Errorf("%s is larger than %d bytes: %w", field, in.limits.MaxFileBytes, ErrTooLarge)
	}
	img, info, release, err := in.Decode(ctx, up.Bytes, field)
	if err != nil {
		return Media{}, nil, nil, none, err
	}
	defer release()
	preview, err := imaging.Preview(img)
	if err != nil {
		return Media{}, nil, nil, none, fmt.Errorf("review: preview of %s: %w", field, err)
	}
	id, err := secret.Token(in.Random, 16)
	if err != nil {
		return Media{}, nil, nil, none, err
	}
	sha := sha256.Sum256(up.Bytes)
	md := md5.Sum(up.Bytes)
	// All eight rotations and flips, so a rotated or mirrored copy of listed
	// content matches; the original is the first.
	variants := pdq.DihedralFromImage(img)
	hash := variants[0]
	media := Media{
		ID: id, Position: i, FileName: truncate(up.Name, 255), ContentType: info.ContentType, Size: int64(len(up.Bytes)),
		Width: info.Width, Height: info.Height, SHA256: hex.EncodeToString(sha[:]), MD5: hex.EncodeToString(md[:]),
		PDQ: hash.Hash.String(), PDQQuality: hash.Quality,
	}
	var matches []MediaMatch
	if in.Matcher != nil {
		matches = in.Matcher.Match(media.ID, media.MD5, media.SHA256, variants[:])
	}
	return media, preview, matches, variants, nil
}

// route picks the item's queue and priority from the routing rules.
func (in *Ingester) route(ctx context.Context, it *Item) error {
	rules, err := in.Rules.FindRules(ctx)
	if err != nil {
		return err
	}
	if r, ok := Route(rules, it.SourceID, it.Metadata, it.Matches); ok {
		it.RuleID, it.QueueID, it.Queue = r.ID, r.QueueID, r.Queue
		if r.Priority != nil {
			it.Priority = *r.Priority
		}
		return nil
	}
	it.Queue = DefaultQueue
	it.QueueID, err = in.Queues.FindQueueID(ctx, DefaultQueue)
	return err
}

// DefaultQueue takes every item no routing rule claims.
const DefaultQueue = "default"

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// GreyRendition returns a media's greyscale unblurred rendition, the first
// reveal step. It is rendered from the original on the first grey reveal
// and kept, encrypted like every rendition: rendering it at ingest would
// cost ingest a fifth of its throughput for images that are often decided
// without it.
func (in *Ingester) GreyRendition(ctx context.Context, m Media) ([]byte, error) {
	// Only the lease holder reveals, so contention is one person clicking
	// twice; a striped lock keeps the stored key matching the file written.
	h := fnv.New32a()
	h.Write([]byte(m.ID))
	mu := &in.renderLocks[h.Sum32()%uint32(len(in.renderLocks))]
	mu.Lock()
	defer mu.Unlock()
	if grey, err := in.Object(ctx, m.ID, KindGrey); !errors.Is(err, ErrNotFound) {
		return grey, err
	}
	original, err := in.Object(ctx, m.ID, KindOriginal)
	if err != nil {
		return nil, err
	}
	img, _, release, err := in.Decode(ctx, original, "media "+m.ID)
	if err != nil {
		return nil, fmt.Errorf("review: decode media %s: %w", m.ID, err)
	}
	grey, err := imaging.Grey(img)
	release()
	if err != nil {
		return nil, fmt.Errorf("review: grey rendition of media %s: %w", m.ID, err)
	}
	wrapped, err := in.Vault.Put(ctx, ObjectID(m.ID, KindGrey), grey)
	if err != nil {
		return nil, err
	}
	if err := in.Items.AddObject(ctx, m.ID, KindGrey, StoredObject{Key: wrapped}); err != nil {
		return nil, err
	}
	return grey, nil
}

// Object decrypts one stored object of a media (ErrNotFound when it has
// no such object).
func (in *Ingester) Object(ctx context.Context, mediaID string, kind MediaKind) ([]byte, error) {
	o, err := in.Items.FindObject(ctx, mediaID, kind)
	if err != nil {
		return nil, err
	}
	return ReadObject(ctx, in.Vault, mediaID, kind, o)
}

// Sealer encrypts small secrets (such as callback signing secrets) under
// the master key, bound to a name so a sealed value cannot be moved.
type Sealer interface {
	Seal(name string, plain []byte) ([]byte, error)
	Open(name string, sealed []byte) ([]byte, error)
}
