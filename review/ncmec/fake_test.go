package ncmec

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
)

func TestFakeCallOrder(t *testing.T) {
	f, c, _ := service(t)
	ctx := context.Background()
	submit := func() int64 {
		id, x := c.Submit(ctx, reportXML(t))
		if !x.OK() {
			t.Fatal(x.Err)
		}
		return id
	}
	upload := func(id int64) (string, Exchange) { return c.Upload(ctx, id, "a.jpg", []byte("bytes")) }
	a, b := submit(), submit()
	fileA, _ := upload(a)
	fileB, _ := upload(b)
	for _, tc := range []struct {
		name string
		x    Exchange
		code cybertip.Code
	}{
		{"upload to an unknown report", second(upload(999999)), cybertip.CodeNoSuchReport},
		{"fileinfo for an unknown file", c.FileInfo(ctx, detailsXML(t, a, "nope", "a.jpg")), cybertip.CodeNoSuchFile},
		{"fileinfo for another report's file", c.FileInfo(ctx, detailsXML(t, a, fileB, "a.jpg")), cybertip.CodeNoSuchFile},
		{"fileinfo for an unknown report", c.FileInfo(ctx, detailsXML(t, 999999, fileA, "a.jpg")), cybertip.CodeNoSuchReport},
		{"finish before every fileinfo", c.Finish(ctx, a), cybertip.CodeInvalidRequest},
		{"fileinfo", c.FileInfo(ctx, detailsXML(t, a, fileA, "a.jpg")), cybertip.CodeOK},
		{"finish", c.Finish(ctx, a), cybertip.CodeOK},
		{"upload after finish", second(upload(a)), cybertip.CodeAlreadyFinished},
		{"fileinfo after finish", c.FileInfo(ctx, detailsXML(t, a, fileA, "a.jpg")), cybertip.CodeAlreadyFinished},
		{"finish again", c.Finish(ctx, a), cybertip.CodeAlreadyFinished},
		{"retract after finish", c.Retract(ctx, a), cybertip.CodeAlreadyFinished},
		{"retract", c.Retract(ctx, b), cybertip.CodeOK},
		{"upload after retract", second(upload(b)), cybertip.CodeAlreadyRetracted},
		{"fileinfo after retract", c.FileInfo(ctx, detailsXML(t, b, fileB, "a.jpg")), cybertip.CodeAlreadyRetracted},
		{"finish after retract", c.Finish(ctx, b), cybertip.CodeAlreadyRetracted},
		{"retract again", c.Retract(ctx, b), cybertip.CodeAlreadyRetracted},
		{"finish an unknown report", c.Finish(ctx, 999999), cybertip.CodeNoSuchReport},
		{"retract an unknown report", c.Retract(ctx, 999999), cybertip.CodeNoSuchReport},
	} {
		if tc.x.Code != tc.code || tc.x.OK() != (tc.code == cybertip.CodeOK) || tc.x.Terminal() == (tc.code == cybertip.CodeOK) {
			t.Errorf("%s: %+v, want code %v", tc.name, tc.x, tc.code)
		}
	}
	reps := f.Reports()
	if len(reps) != 2 || !reps[0].Finished || reps[0].Retracted || reps[1].Finished || !reps[1].Retracted {
		t.Fatalf("reports = %+v", reps)
	}
	want := []string{"submit: 0", `upload ` + fileA + ` "a.jpg": 0`, "fileinfo nope: 5002", "fileinfo " + fileB + ": 5002",
		"finish: 4000", "fileinfo " + fileA + ": 0", "finish: 0", `upload "a.jpg": 5102`, "fileinfo " + fileA + ": 5102",
		"finish: 5102", "retract: 5102"}
	if !slices.Equal(reps[0].Calls, want) {
		t.Errorf("calls of the finished report:\n%q\nwant\n%q", reps[0].Calls, want)
	}
}

// outOfOrder moves <reporter> in front of <incidentSummary>, which the
// schema's xs:sequence forbids.
func outOfOrder(t *testing.T, doc []byte) []byte {
	t.Helper()
	start, end := bytes.Index(doc, []byte("  <reporter>")), bytes.Index(doc, []byte("</reporter>\n"))+len("</reporter>\n")
	summary := bytes.Index(doc, []byte("  <incidentSummary>"))
	if start < 0 || end < start || summary < 0 || summary > start {
		t.Fatalf("unexpected document:\n%s", doc)
	}
	var out []byte
	out = append(out, doc[:summary]...)
	out = append(out, doc[start:end]...)
	out = append(out, doc[summary:start]...)
	return append(out, doc[end:]...)
}

func TestFakeRejectsInvalidDocuments(t *testing.T) {
	needXmllint(t)
	f, c, _ := service(t)
	ctx := context.Background()
	id, x := c.Submit(ctx, outOfOrder(t, reportXML(t)))
	if id != 0 || x.Code != cybertip.CodeValidationFailed || !x.Terminal() ||
		!strings.Contains(x.Response, "element reporter: Schemas validity error") || !strings.Contains(x.Response, "This element is not expected.") ||
		!strings.Contains(x.Err.Error(), "Element 'reporter': This element is not expected.") {
		t.Errorf("out-of-order report: id %d, %+v", id, x)
	}
	if len(f.Reports()) != 0 {
		t.Error("an invalid report was kept")
	}

	id, _ = c.Submit(ctx, reportXML(t))
	fileID, _ := c.Upload(ctx, id, "a.jpg", []byte("bytes"))
	details := bytes.Replace(detailsXML(t, id, fileID, "a.jpg"), []byte("<fileViewedByEsp>true"), []byte("<fileViewedByEsp>perhaps"), 1)
	if x := c.FileInfo(ctx, details); x.Code != cybertip.CodeValidationFailed || !strings.Contains(x.Response, "fileViewedByEsp") {
		t.Errorf("invalid file details: %+v", x)
	}
	if r := f.Reports()[0]; r.Files[0].Details != "" {
		t.Errorf("invalid file details were kept: %+v", r.Files[0])
	}
}

// Without xmllint the fake warns once and accepts well-formed documents,
// and it still rejects malformed XML and the wrong document.
func TestFakeWithoutXmllint(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var logs bytes.Buffer
	f := NewFake("isp", "secret")
	f.Log = slog.New(slog.NewTextHandler(&logs, nil))
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, Username: "isp", Password: "secret"}, local(10*time.Second))
	ctx := context.Background()
	for range 2 {
		if _, x := c.Submit(ctx, outOfOrder(t, reportXML(t))); !x.OK() {
			t.Errorf("well-formed report refused without xmllint: %+v", x)
		}
	}
	if _, x := c.Submit(ctx, []byte("<report><reporter></report>")); x.Code != cybertip.CodeMalformedXML || !x.Terminal() {
		t.Errorf("malformed report: %+v", x)
	}
	if _, x := c.Submit(ctx, detailsXML(t, 1, "f", "a.jpg")); x.Code != cybertip.CodeInvalidRequest || !strings.Contains(x.Response, "want &lt;report&gt;") {
		t.Errorf("fileDetails posted to /submit: %+v", x)
	}
	srv.Close()
	if n := strings.Count(logs.String(), "xmllint not on PATH"); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, logs.String())
	}
}
