package ncmec

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
	"github.com/loupe-review/loupe/review/egress"
)

var testNow = time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)

// service starts a fake behind an HTTP server and a client signed in to it.
func service(t *testing.T) (*Fake, *Client, string) {
	t.Helper()
	f := NewFake("isp", "secret")
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, New(Config{BaseURL: srv.URL, Username: "isp", Password: "secret"}, local(10*time.Second)), srv.URL
}

// local is the outbound client with --allow-insecure-outbound, as trying
// the fake on loopback needs.
func local(timeout time.Duration) *http.Client {
	return egress.Policy{AllowInsecure: true}.Client(timeout)
}

// needXmllint skips a test that must run the schema validator. CI installs
// libxml2-utils and fails on skipped tests.
func needXmllint(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not on PATH: install libxml2-utils (CI installs it and fails on skips)")
	}
}

func fileInput(name string) cybertip.FileInput {
	return cybertip.FileInput{
		OriginalName: name,
		ViewedByESP:  true,
		Hashes:       []cybertip.Hash{{Type: "MD5", Value: "0123456789abcdef0123456789abcdef"}},
	}
}

// reportXML is a valid <report> built by review/cybertip.
func reportXML(t *testing.T) []byte {
	t.Helper()
	r, ps := cybertip.BuildReport(cybertip.ReportInput{
		Org:          cybertip.Organisation{Reporter: cybertip.Contact{FirstName: "Alex", LastName: "Example", Email: "trust@example.org"}},
		IncidentType: cybertip.ChildPornography,
		IncidentTime: testNow.Add(-time.Hour),
		URLs:         []string{"https://example.org/p/1"},
		Files:        []cybertip.FileInput{fileInput("a.jpg"), fileInput("b.jpg")},
	}, testNow)
	if len(ps) != 0 {
		t.Fatalf("report problems: %v", ps)
	}
	return mustXML(t, r)
}

// detailsXML is a valid <fileDetails> for a file of report id.
func detailsXML(t *testing.T, id int64, fileID, name string) []byte {
	t.Helper()
	d, ps := cybertip.BuildFileDetails(id, fileID, fileInput(name), nil, testNow)
	if len(ps) != 0 {
		t.Fatalf("file details problems: %v", ps)
	}
	return mustXML(t, d)
}

func mustXML(t *testing.T, doc interface{ XML() ([]byte, error) }) []byte {
	t.Helper()
	b, err := doc.XML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
