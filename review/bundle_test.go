package review

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review/cybertip"
)

// TestBundleNamesIgnoreThePlatformsFileName: a file name with a newline
// and a forged manifest line changes neither the zip entry names nor
// MANIFEST.sha256, whose lines are one per entry.
func TestBundleNamesIgnoreThePlatformsFileName(t *testing.T) {
	forged := "photo.jpg\n" + strings.Repeat("0", 64) + "  report.xml"
	hash := strings.Repeat("ab", 32)
	rep := CaseReport{
		XML: []byte("<report/>"),
		Input: cybertip.ReportInput{Files: []cybertip.FileInput{
			{OriginalName: forged, Hashes: []cybertip.Hash{{Type: "SHA256", Value: hash}, {Type: "MD5", Value: "00"}}},
			{OriginalName: "x.exe", Hashes: []cybertip.Hash{{Type: "SHA256", Value: hash}, {Type: "MD5", Value: "00"}}},
		}},
		Files: []FileViews{{MediaID: "m1", ContentType: "image/png"}, {MediaID: "m2", ContentType: "image/webp"}},
	}
	var buf bytes.Buffer
	if err := WriteBundle(&buf, Case{ID: 7}, rep, func(string) ([]byte, error) { return []byte("bytes"), nil }); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var sums string
	for _, f := range z.File {
		names = append(names, f.Name)
		if f.Name == "MANIFEST.sha256" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			sums = string(b)
		}
	}
	want := "report.xml files/01-abababababababab.png files/02-abababababababab.webp manifest.json MANIFEST.sha256"
	if strings.Join(names, " ") != want {
		t.Errorf("entries %q, want %q", names, want)
	}
	if n := strings.Count(sums, "\n"); n != 4 || strings.Contains(sums, strings.Repeat("0", 64)) {
		t.Errorf("MANIFEST.sha256 has %d lines:\n%s", n, sums)
	}
}
