package web

import (
	"cmp"
	"fmt"
	"image"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/imaging"
	"github.com/loupe-review/loupe/review/secret"
)

// revealJSON is what the page gets for a granted reveal.
type revealJSON struct {
	URL           string    `json:"url"`
	Exposure      int64     `json:"exposure"`
	ReblurSeconds int       `json:"reblur_seconds"`
	Expires       time.Time `json:"expires"`
}

// reveal grants one reveal step (form fields media, step, region) and
// answers with a single-use URL for exactly that rendition.
func (s *Server) reveal(w http.ResponseWriter, r *http.Request) error {
	it, err := s.viewedItem(r)
	if err != nil {
		return err
	}
	step := r.PostFormValue("step")
	var region image.Rectangle
	if step == review.StepSpotlight {
		if region, err = review.ParseRegion(r.PostFormValue("region")); err != nil {
			return err
		}
	}
	rv, err := s.reviews.Reveal(r.Context(), s.store, current(r).user, it, r.PostFormValue("media"), step, region)
	if err != nil {
		return notHeld(err)
	}
	writeJSON(w, http.StatusOK, revealJSON{
		URL: "/reveal/" + rv.Token, Exposure: rv.Exposure.ID,
		ReblurSeconds: int(rv.Exposure.CapAt.Sub(rv.Exposure.StartedAt).Seconds()), Expires: rv.Expires,
	})
	return nil
}

// revealed serves a granted rendition once: the original bytes for colour,
// the grey rendition, a crop for a spotlight (greyscale where the queue
// does not allow colour), or EXIF fields as JSON.
func (s *Server) revealed(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.UseGrant(r.Context(), secret.Digest(r.PathValue("token")), current(r).user.ID, s.now())
	if err != nil {
		return err
	}
	it, err := s.store.FindItemByID(r.Context(), e.ItemID)
	if err != nil {
		return err
	}
	m, _ := it.MediaByID(e.MediaID)
	if !m.PurgedAt.IsZero() {
		return review.ErrGone
	}
	w.Header().Set("Cache-Control", "no-store")
	switch e.Rendition {
	case review.StepGrey:
		b, err := s.ingester.GreyRendition(r.Context(), m)
		if err != nil {
			return err
		}
		return writeBytes(w, "image/jpeg", b)
	case review.StepColour:
		b, err := s.ingester.Object(r.Context(), m.ID, review.KindOriginal)
		if err != nil {
			return err
		}
		return writeBytes(w, m.ContentType, b)
	case review.StepSpotlight:
		q, err := s.store.FindQueue(r.Context(), it.QueueID)
		if err != nil {
			return err
		}
		return s.serveSpotlight(w, r, m, e.Region, q.Policy.SpotlightColour())
	case review.StepEXIF:
		b, err := s.ingester.Object(r.Context(), m.ID, review.KindOriginal)
		if err != nil {
			return err
		}
		fields, _ := imaging.EXIF(b)
		writeJSON(w, http.StatusOK, map[string]any{"fields": fields})
		return nil
	}
	return fmt.Errorf("web: unknown rendition %q", e.Rendition)
}

// serveSpotlight crops the region from the original, in colour only where
// the queue allows colour reveals.
func (s *Server) serveSpotlight(w http.ResponseWriter, r *http.Request, m review.Media, region image.Rectangle, colour bool) error {
	b, err := s.ingester.Object(r.Context(), m.ID, review.KindOriginal)
	if err != nil {
		return err
	}
	img, _, release, err := s.ingester.Decode(r.Context(), b, "media "+m.ID)
	if err != nil {
		return err
	}
	crop, err := imaging.Crop(img, region, colour)
	release()
	if err != nil {
		return err
	}
	return writeBytes(w, "image/jpeg", crop)
}

func writeBytes(w http.ResponseWriter, contentType string, b []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err := w.Write(b)
	return err
}

// reblur closes one of the visitor's own exposures of the item in the path:
// the page re-blurred (timer, Esc) or was hidden. It needs no lease, so a
// reveal still open when the lease ended is closed truthfully; any other
// exposure is errNotHeld.
func (s *Server) reblur(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PostFormValue("exposure"), 10, 64)
	if err != nil {
		return review.Invalid("exposure", "is required")
	}
	reason := r.PostFormValue("reason")
	if reason != "hidden" {
		reason = "reblur"
	}
	itemID, err := pathID(r)
	if err != nil {
		return errNotHeld
	}
	exposures, err := s.store.FindExposures(r.Context(), itemID)
	if err != nil {
		return err
	}
	u := current(r).user
	if !slices.ContainsFunc(exposures, func(e review.Exposure) bool { return e.ID == id && e.ReviewerID == u.ID }) {
		return errNotHeld
	}
	e, err := s.store.CloseExposure(r.Context(), id, u.ID, s.now(), reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"seconds": e.Seconds, "closed_by": e.ClosedBy})
	return nil
}

// preview serves a media's blurred greyscale preview: to the reviewer who
// holds its item (or its QA sample), and to leads and admins. It is the
// only image lists show.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) error {
	mediaID := r.PathValue("id")
	it, err := s.store.FindItemByMediaID(r.Context(), mediaID)
	if err != nil {
		return err
	}
	u := current(r).user
	if !isLead(u) {
		if held, err := s.store.HoldsItem(r.Context(), it.ID, u.ID, s.now()); err != nil || !held {
			return cmp.Or(err, fmt.Errorf("you do not hold this item: %w", review.ErrForbidden))
		}
	}
	if m, _ := it.MediaByID(mediaID); !m.PurgedAt.IsZero() {
		return review.ErrGone
	}
	b, err := s.ingester.Object(r.Context(), mediaID, review.KindPreview)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return writeBytes(w, "image/jpeg", b)
}
