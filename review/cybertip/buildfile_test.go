package cybertip

import (
	"testing"
	"time"
)

func TestBuildFileDetailsProblems(t *testing.T) {
	for _, tc := range []struct {
		name     string
		reportID int64
		fileID   string
		edit     func(*FileInput)
		field    string
	}{
		{"no report id", 0, "f1", func(*FileInput) {}, "ReportID"},
		{"no file id", 1001, "", func(*FileInput) {}, "FileID"},
		{"no hashes", 1001, "f1", func(f *FileInput) { f.Hashes = nil }, "Hashes"},
		{"hash without type", 1001, "f1", func(f *FileInput) { f.Hashes[1].Type = "" }, "Hashes[1].Type"},
		{"hash without value", 1001, "f1", func(f *FileInput) { f.Hashes[0].Value = "" }, "Hashes[0].Value"},
		{"unknown classification", 1001, "f1", func(f *FileInput) { f.Classification = "a1" }, "Classification"},
		{"unknown relevance", 1001, "f1", func(f *FileInput) { f.Relevance = "Context" }, "Relevance"},
		{"upload in the future", 1001, "f1", func(f *FileInput) { f.UploadedAt = testNow.Add(time.Minute) }, "UploadedAt"},
		{"upload IP not an address", 1001, "f1", func(f *FileInput) { f.UploadIP = "example.org" }, "UploadIP"},
		{"upload IP time in the future", 1001, "f1", func(f *FileInput) { f.UploadIPAt = testNow.Add(time.Hour) }, "UploadIPAt"},
		{"location not a URL", 1001, "f1", func(f *FileInput) { f.Location = "media/1" }, "Location"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := exampleFile(1)
			tc.edit(&f)
			_, ps := BuildFileDetails(tc.reportID, tc.fileID, f, nil, testNow)
			assertOneProblem(t, ps, tc.field)
		})
	}
}

func TestBuildFileDetailsFields(t *testing.T) {
	f := exampleFile(3)
	f.Annotations = FileAnnotations{Viral: true}
	d, ps := BuildFileDetails(1001, "f3", f, nil, testNow)
	if len(ps) != 0 {
		t.Fatalf("problems = %v", ps)
	}
	if d.ReportID != 1001 || d.FileID != "f3" {
		t.Errorf("ids = %d, %q", d.ReportID, d.FileID)
	}
	if d.IndustryClassification != B2 {
		t.Errorf("industryClassification = %q, want B2", d.IndustryClassification)
	}
	if d.FileAnnotations == nil || !d.FileAnnotations.Viral {
		t.Errorf("fileAnnotations = %+v", d.FileAnnotations)
	}
	e := d.IPCaptureEvent
	if e == nil || e.IPAddress != "192.0.2.10" || e.EventName != EventUpload || e.DateTime == nil || !e.DateTime.Equal(f.UploadIPAt) {
		t.Errorf("upload ipCaptureEvent = %+v, want the upload IP, Upload, the time the platform gave with the IP", e)
	}
	// Without a time given with the IP, the event has none: the file's
	// upload time is not assumed to be the IP's.
	f.UploadIPAt = time.Time{}
	if d, _ := BuildFileDetails(1001, "f3", f, nil, testNow); d.IPCaptureEvent == nil || d.IPCaptureEvent.DateTime != nil {
		t.Errorf("upload ipCaptureEvent without a time = %+v, want no dateTime", d.IPCaptureEvent)
	}
	if len(d.OriginalFileHashes) != 2 {
		t.Errorf("hashes = %v", d.OriginalFileHashes)
	}
}

func TestBuildFileDetailsOptionalFieldsLeftOut(t *testing.T) {
	f := FileInput{Hashes: []Hash{{Type: "MD5", Value: "0123456789abcdef0123456789abcdef"}}}
	d, ps := BuildFileDetails(1001, "f1", f, nil, testNow)
	if len(ps) != 0 {
		t.Fatalf("problems = %v", ps)
	}
	if d.UploadedToESPTimestamp != nil || d.IPCaptureEvent != nil || d.FileAnnotations != nil ||
		d.PubliclyAvailable != nil || d.IndustryClassification != "" {
		t.Errorf("details = %+v, want optional elements nil", d)
	}
}

func TestBuildFileDetailsCustomTaxonomy(t *testing.T) {
	tax := Taxonomy{"Category A": A1, "Category C": ""}
	for _, tc := range []struct {
		label string
		want  Classification
		ok    bool
	}{
		{"Category A", A1, true},
		{"Category C", "", true},
		{"B2", "", false}, // the default's labels are not this taxonomy's
	} {
		f := exampleFile(1)
		f.Classification = tc.label
		d, ps := BuildFileDetails(1001, "f1", f, tax, testNow)
		if d.IndustryClassification != tc.want || (len(ps) == 0) != tc.ok {
			t.Errorf("%q: classification %q, problems %v; want %q, ok %v", tc.label, d.IndustryClassification, ps, tc.want, tc.ok)
		}
	}
}
