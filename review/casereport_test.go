package review

import (
	"testing"
	"time"
)

// TestReportSaysOnlyWhatThePlatformSaidOfIPs: the uploader's IP is an
// account event with the platform's own time and no event name; a file
// gets an upload ipCaptureEvent only when the platform said that file was
// uploaded from an address, with the time it gave.
func TestReportSaysOnlyWhatThePlatformSaidOfIPs(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	m, err := ParseMetadata([]byte(`{"external_id":"p1","uploaded_at":"2026-11-20T10:00:00Z",
		"uploader":{"account_id":"a1","ip":"198.51.100.7","ip_event_time":"2026-11-19T08:00:00Z"},
		"media":[{},{"upload_ip":"203.0.113.9","upload_ip_time":"2026-11-20T09:59:00Z"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	it := Item{ID: 1, Metadata: m, Media: []Media{{ID: "m0", SHA256: "s0", MD5: "d0"}, {ID: "m1", SHA256: "s1", MD5: "d1"}}}
	rep := BuildCaseReport(Case{}, nil, CaseEvidence{Items: []Item{it}}, now)

	if f := rep.Input.Files[0]; f.UploadIP != "" || !f.UploadIPAt.IsZero() {
		t.Errorf("file 0 reports upload IP %q at %v; the platform never said it was uploaded from one", f.UploadIP, f.UploadIPAt)
	}
	if f := rep.Input.Files[1]; f.UploadIP != "203.0.113.9" || !f.UploadIPAt.Equal(time.Date(2026, 11, 20, 9, 59, 0, 0, time.UTC)) {
		t.Errorf("file 1 upload IP %q at %v, want the platform's 203.0.113.9 at 09:59", f.UploadIP, f.UploadIPAt)
	}
	a := rep.Input.Reported
	if a == nil || len(a.IPEvents) != 1 {
		t.Fatalf("reported account %+v, want the uploader's IP once", a)
	}
	if e := a.IPEvents[0]; e.Address != "198.51.100.7" || e.Event != "" || !e.At.Equal(time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("account IP event %+v, want the address at ip_event_time with no event name", e)
	}
}
