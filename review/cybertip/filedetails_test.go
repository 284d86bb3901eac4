package cybertip

import (
	"strings"
	"testing"
)

func TestFileDetailsXMLViewedFlagsAlwaysWritten(t *testing.T) {
	no := false
	for _, tc := range []struct {
		name    string
		file    FileInput
		want    []string
		notWant []string
	}{
		{
			name:    "not viewed, publicity unknown",
			file:    FileInput{Hashes: []Hash{{Type: "MD5", Value: "0123456789abcdef0123456789abcdef"}}},
			want:    []string{"<fileViewedByEsp>false</fileViewedByEsp>", "<exifViewedByEsp>false</exifViewedByEsp>"},
			notWant: []string{"publiclyAvailable", "fileAnnotations", "industryClassification", "ipCaptureEvent", "uploadedToEspTimestamp"},
		},
		{
			name: "viewed, not public",
			file: FileInput{ViewedByESP: true, PubliclyAvailable: &no, Hashes: []Hash{{Type: "SHA1", Value: "0123456789abcdef0123456789abcdef01234567"}}},
			want: []string{
				"<fileViewedByEsp>true</fileViewedByEsp>", "<exifViewedByEsp>false</exifViewedByEsp>",
				"<publiclyAvailable>false</publiclyAvailable>",
				`<originalFileHash hashType="SHA1">0123456789abcdef0123456789abcdef01234567</originalFileHash>`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ps := BuildFileDetails(4564654, "f1", tc.file, nil, testNow)
			if len(ps) != 0 {
				t.Fatalf("problems = %v", ps)
			}
			doc := string(mustXML(t, d))
			for _, w := range tc.want {
				if !strings.Contains(doc, w) {
					t.Errorf("lacks %s:\n%s", w, doc)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(doc, w) {
					t.Errorf("has %s:\n%s", w, doc)
				}
			}
		})
	}
}
