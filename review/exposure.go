package review

import (
	"image"
	"time"
)

// Exposure is one row of the exposure ledger: a reveal (who saw what, in
// which form, and for how long as the server accounts it) or an original
// handed out in an export bundle (RenditionDownload).
type Exposure struct {
	ID             int64
	ReviewerID     int64
	ItemID         int64
	MediaID        string
	Rendition      string // grey, colour, spotlight, exif, download
	Region         image.Rectangle
	RegionFraction float64 // share of the image a spotlight showed; 1 otherwise
	StartedAt      time.Time
	CapAt          time.Time // StartedAt plus the policy's re-blur seconds
	EndedAt        time.Time
	Seconds        float64
	ClosedBy       string // reblur, decision, hidden, lease_end, break, cap, download
}

// Close accounts an exposure ended at end for reason: the seconds run from
// the reveal to the re-blur, decision, page hide or the policy cap,
// whichever came first, whatever the browser claims.
func (e Exposure) Close(end time.Time, reason string) Exposure {
	if end.After(e.CapAt) {
		end, reason = e.CapAt, "cap"
	}
	if end.Before(e.StartedAt) {
		end = e.StartedAt
	}
	e.EndedAt, e.ClosedBy = end, reason
	e.Seconds = end.Sub(e.StartedAt).Seconds()
	return e
}

// Open reports whether the exposure is still running.
func (e Exposure) Open() bool { return e.EndedAt.IsZero() }

// RenditionDownload marks a ledger row for an original file handed out
// in an export bundle: not a reveal on screen, so no seconds are measured.
const RenditionDownload = "download"

// RevealTTL is how long a reveal URL may be fetched; it is also single use.
const RevealTTL = 60 * time.Second
