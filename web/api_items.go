package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"time"

	"github.com/loupe-review/loupe/review"
)

// itemJSON is an item as the API shows it to its source.
type itemJSON struct {
	ID         int64       `json:"id"`
	ExternalID string      `json:"external_id"`
	Status     string      `json:"status"`
	Queue      string      `json:"queue"`
	Priority   int         `json:"priority"`
	ReceivedAt time.Time   `json:"received_at"`
	Media      []mediaJSON `json:"media"`
	// Decision is the final decision once there is one; Report the report
	// case the item is in, if any. Both null otherwise.
	Decision *decisionJSON `json:"decision"`
	Report   *reportJSON   `json:"report"`
}

type decisionJSON struct {
	Verdict   review.Verdict `json:"verdict"`
	Category  string         `json:"category,omitempty"`
	Kind      string         `json:"kind"`
	DecidedAt time.Time      `json:"decided_at"`
}

type reportJSON struct {
	Status      review.CaseStatus `json:"status"`
	Destination string            `json:"destination"`
	// ReportID is the destination's report id once it gave one.
	ReportID   int64      `json:"report_id,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

type mediaJSON struct {
	ID          string `json:"id"`
	SHA256      string `json:"sha256"`
	MD5         string `json:"md5"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	PDQ         string `json:"pdq"`
	PDQQuality  int    `json:"pdq_quality"`
}

func toItemJSON(it review.Item) itemJSON {
	out := itemJSON{ID: it.ID, ExternalID: it.ExternalID, Status: string(it.Status), Queue: it.Queue, Priority: it.Priority, ReceivedAt: it.ReceivedAt, Media: []mediaJSON{}}
	for _, m := range it.Media {
		out.Media = append(out.Media, mediaJSON{ID: m.ID, SHA256: m.SHA256, MD5: m.MD5, Width: m.Width, Height: m.Height,
			ContentType: m.ContentType, Size: m.Size, PDQ: m.PDQ, PDQQuality: m.PDQQuality})
	}
	return out
}

var errLowDisk = fmt.Errorf("free disk space is below the configured floor; try again later: %w", review.ErrUnavailable)

// ingestItem is POST /api/v1/items: a multipart form with one "metadata"
// part (JSON) and one or more "media" parts. It answers 201 only once the
// item, its encrypted files and its audit entry are durable.
func (s *Server) ingestItem(w http.ResponseWriter, r *http.Request) error {
	if free, err := s.free(); err != nil || free < s.cfg.MinFreeBytes {
		if err != nil {
			s.log.Error("free space check failed", "err", err)
		}
		w.Header().Set("Retry-After", "60")
		return errLowDisk
	}
	meta, uploads, err := s.readItemForm(r)
	if err != nil {
		return err
	}
	it, created, err := s.ingester.Ingest(r.Context(), apiCaller(r), meta, uploads)
	if err != nil {
		return err
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, toItemJSON(it))
	return nil
}

// readItemForm streams the multipart parts (the body is capped already),
// refusing oversize parts and one media part too many as they arrive.
func (s *Server) readItemForm(r *http.Request) ([]byte, []review.Upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, review.Invalid("body", "must be multipart/form-data with a metadata part and media parts")
	}
	var meta []byte
	var uploads []review.Upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, bodyError(err)
		}
		switch part.FormName() {
		case "metadata":
			if meta != nil {
				return nil, nil, review.Invalid("metadata", "must be sent once")
			}
			if meta, err = readPart(part, review.MaxMetadataBytes, "metadata"); err != nil {
				return nil, nil, err
			}
		case "media":
			if err := s.ingester.CheckMediaCount(len(uploads) + 1); err != nil {
				return nil, nil, err
			}
			b, err := readPart(part, s.cfg.Limits.MaxFileBytes, fmt.Sprintf("media[%d]", len(uploads)))
			if err != nil {
				return nil, nil, err
			}
			uploads = append(uploads, review.Upload{Name: part.FileName(), Bytes: b})
		default:
			return nil, nil, review.Invalid(part.FormName(), "unknown part; send metadata and media")
		}
	}
	if meta == nil {
		return nil, nil, review.Invalid("metadata", "is required")
	}
	return meta, uploads, nil
}

func readPart(p *multipart.Part, limit int64, field string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes: %w", field, limit, review.ErrTooLarge)
	}
	return b, nil
}

// getItem is GET /api/v1/items/{id}: a source sees only its own items.
func (s *Server) getItem(w http.ResponseWriter, r *http.Request) error {
	it, err := s.pathItem(r)
	if err != nil {
		return err
	}
	if it.SourceID != apiCaller(r).SourceID {
		return fmt.Errorf("no item %d for this source: %w", it.ID, review.ErrNotFound)
	}
	out := toItemJSON(it)
	ds, err := s.store.FindDecisions(r.Context(), it.ID)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(ds, func(d review.Decision) bool { return d.Final }); i >= 0 {
		d := ds[i]
		out.Decision = &decisionJSON{Verdict: d.Verdict, Category: d.Category, Kind: string(d.Kind), DecidedAt: d.CreatedAt}
	}
	c, err := s.store.FindCaseOfItem(r.Context(), it.ID)
	switch {
	case err == nil:
		out.Report = &reportJSON{Status: c.Status, Destination: c.Destination, ReportID: c.ReportID}
		if !c.FinishedAt.IsZero() {
			out.Report.FinishedAt = &c.FinishedAt
		}
	case !errors.Is(err, review.ErrNotFound):
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
