package review

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review/imaging"
)

// bundleFile is one file's entry in an export bundle's manifest.
type bundleFile struct {
	Path           string    `json:"path"`
	OriginalName   string    `json:"original_name,omitempty"`
	SHA256         string    `json:"sha256"`
	MD5            string    `json:"md5"`
	Size           int       `json:"size"`
	Classification string    `json:"classification,omitempty"`
	ViewedByESP    bool      `json:"file_viewed_by_esp"`
	EXIFViewed     bool      `json:"exif_viewed_by_esp"`
	UploadedAt     time.Time `json:"uploaded_at,omitzero"`
	Location       string    `json:"location,omitempty"`
}

// WriteBundle writes a case's export bundle, for a hotline or authority
// without an API: the report XML, every original file as received, a
// manifest of the files with their hashes and viewed flags, and
// MANIFEST.sha256 over all of them. original returns a media's bytes.
func WriteBundle(w io.Writer, c Case, rep CaseReport, original func(mediaID string) ([]byte, error)) error {
	z := zip.NewWriter(w)
	var sums strings.Builder
	add := func(name string, b []byte) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		return nil
	}
	if err := add("report.xml", rep.XML); err != nil {
		return err
	}
	var manifest []bundleFile
	for i, f := range rep.Input.Files {
		b, err := original(rep.Files[i].MediaID)
		if err != nil {
			return fmt.Errorf("file %d of case %d: %w", i+1, c.ID, err)
		}
		// The name comes from the hash and the sniffed content type only: the
		// platform's file name could carry a newline and a forged manifest line.
		name := fmt.Sprintf("files/%02d-%s%s", i+1, f.Hashes[0].Value[:16], imaging.Extension(rep.Files[i].ContentType))
		if err := add(name, b); err != nil {
			return err
		}
		manifest = append(manifest, bundleFile{
			Path: name, OriginalName: f.OriginalName, SHA256: f.Hashes[0].Value, MD5: f.Hashes[1].Value, Size: len(b),
			Classification: f.Classification, ViewedByESP: f.ViewedByESP, EXIFViewed: f.EXIFViewedByESP,
			UploadedAt: f.UploadedAt, Location: f.Location,
		})
	}
	m, err := json.MarshalIndent(map[string]any{"case": c.ID, "source": c.Source, "account": c.AccountID, "files": manifest}, "", "  ")
	if err != nil {
		return err
	}
	if err := add("manifest.json", m); err != nil {
		return err
	}
	f, err := z.Create("MANIFEST.sha256")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, sums.String()); err != nil {
		return err
	}
	return z.Close()
}

// Downloads are the ledger rows of u downloading a case's export bundle:
// one per original file in it, closed at once. A download is not a view
// (nobody is known to have looked), so no viewed flag counts it; it has
// no seconds, since nothing off screen is timed.
func Downloads(u User, rep CaseReport, now time.Time) []Exposure {
	out := make([]Exposure, 0, len(rep.Files))
	for _, f := range rep.Files {
		out = append(out, Exposure{
			ReviewerID: u.ID, ItemID: f.ItemID, MediaID: f.MediaID, Rendition: RenditionDownload, RegionFraction: 1,
			StartedAt: now, CapAt: now, EndedAt: now, ClosedBy: RenditionDownload,
		})
	}
	return out
}
