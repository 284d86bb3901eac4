package review

import (
	"errors"
	"strings"
	"testing"
)

func TestParseMetadata(t *testing.T) {
	cases := []struct {
		name, json, field string
	}{
		{"minimal", `{"external_id":"a1"}`, ""},
		{"full", `{"external_id":"a1","content_url":"https://example.org/p/1","uploaded_at":"2026-11-26T09:00:00Z",
			"uploader":{"account_id":"u1","screen_name":"s","display_name":"d","profile_url":"https://example.org/u/1","email":"u@example.org","ip":"2001:db8::1","ip_event_time":"2026-11-26T08:00:00+01:00"},
			"classifier":{"name":"c","version":"1","scores":{"csam":0.97,"nudity":0}},"labels":["x"],"context":{"surface":"dm","public":false},"priority":100}`, ""},
		{"missing id", `{}`, "external_id"},
		{"blank id", `{"external_id":"  "}`, "external_id"},
		{"unknown field", `{"external_id":"a","extrnal":"b"}`, "extrnal"},
		{"unknown nested field", `{"external_id":"a","uploader":{"acount_id":"x"}}`, "acount_id"},
		{"malformed", `{"external_id":`, "metadata"},
		{"two objects", `{"external_id":"a"}{"external_id":"b"}`, "metadata"},
		{"wrong type", `{"external_id":"a","priority":"high"}`, "priority"},
		{"priority range", `{"external_id":"a","priority":101}`, "priority"},
		{"score range", `{"external_id":"a","classifier":{"scores":{"x":1.5}}}`, "classifier.scores.x"},
		{"bad time", `{"external_id":"a","uploaded_at":"yesterday"}`, "uploaded_at"},
		{"bad ip", `{"external_id":"a","uploader":{"ip":"300.1.1.1"}}`, "uploader.ip"},
		{"bad url", `{"external_id":"a","content_url":"javascript:alert(1)"}`, "content_url"},
		{"bad email", `{"external_id":"a","uploader":{"email":"nope"}}`, "uploader.email"},
		{"not an object", `[1,2]`, "metadata"},
		{"media upload IP", `{"external_id":"a","media":[{},{"upload_ip":"198.51.100.7","upload_ip_time":"2026-11-20T10:00:00Z"}]}`, ""},
		{"bad media upload IP", `{"external_id":"a","media":[{"upload_ip":"198.51.100.700"}]}`, "media[0].upload_ip"},
		{"bad media upload IP time", `{"external_id":"a","media":[{},{"upload_ip":"198.51.100.7","upload_ip_time":"then"}]}`, "media[1].upload_ip_time"},
		{"media upload time without IP", `{"external_id":"a","media":[{"upload_ip_time":"2026-11-20T10:00:00Z"}]}`, "media[0].upload_ip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMetadata([]byte(tc.json))
			var v *ValidationError
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.field != "" && (!errors.As(err, &v) || v.Field() != tc.field):
				t.Errorf("err = %v, want a problem with %q", err, tc.field)
			}
		})
	}
}

func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"external_id":"a1","classifier":{"scores":{"csam":0.5}},"priority":3}`))
	f.Add([]byte(`{"external_id":"x","uploader":{"ip":"10.0.0.1","ip_event_time":"2026-01-01T00:00:00Z"}}`))
	f.Add([]byte(`{"external_id":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(b)
		if err == nil && m.ExternalID == "" {
			t.Error("accepted metadata without external_id")
		}
		var v *ValidationError
		if err != nil && !errors.As(err, &v) {
			t.Errorf("error is not a ValidationError: %v", err)
		}
	})
}

// TestMetadataRefusesControlCharacters: every text field refuses what would
// clear a terminal, forge a row or reverse text on the review page, naming
// the field; ordinary non-Latin text and joiners pass.
func TestMetadataRefusesControlCharacters(t *testing.T) {
	fields := map[string]func(s string) string{
		"external_id":           func(s string) string { return `{"external_id":` + s + `}` },
		"uploader.account_id":   func(s string) string { return `{"external_id":"a","uploader":{"account_id":` + s + `}}` },
		"uploader.screen_name":  func(s string) string { return `{"external_id":"a","uploader":{"screen_name":` + s + `}}` },
		"uploader.display_name": func(s string) string { return `{"external_id":"a","uploader":{"display_name":` + s + `}}` },
		"uploader.email":        func(s string) string { return `{"external_id":"a","uploader":{"email":` + s + `}}` },
		"classifier.name":       func(s string) string { return `{"external_id":"a","classifier":{"name":` + s + `}}` },
		"classifier.version":    func(s string) string { return `{"external_id":"a","classifier":{"version":` + s + `}}` },
		"classifier.scores":     func(s string) string { return `{"external_id":"a","classifier":{"scores":{` + s + `:0.5}}}` },
		"labels":                func(s string) string { return `{"external_id":"a","labels":["ok",` + s + `]}` },
		"context.surface":       func(s string) string { return `{"external_id":"a","context":{"surface":` + s + `}}` },
		"content_url": func(s string) string {
			return `{"external_id":"a","content_url":"https://example.org/` + strings.Trim(s, `"`) + `"}`
		},
		"uploader.profile_url": func(s string) string {
			return `{"external_id":"a","uploader":{"profile_url":"https://example.org/` + strings.Trim(s, `"`) + `"}}`
		},
	}
	bad := map[string]string{
		"NUL": `"a\u0000b"`, "tab": `"a\tb"`, "newline": `"a\nb"`, "carriage return": `"a\rb"`,
		"ANSI clear screen": `"\u001b[2J\u001b[Hforged"`, "DEL": `"a\u007fb"`, "C1 CSI": `"a\u009b2Jb"`,
		"right-to-left override": `"photo\u202egnp.exe"`, "left-to-right embedding": `"a\u202ab"`,
		"first strong isolate": `"a\u2068b"`, "pop directional isolate": `"a\u2069b"`,
		"right-to-left mark": `"a\u200fb"`, "arabic letter mark": `"a\u061cb"`, "line separator": `"a\u2028b"`,
	}
	for field, doc := range fields {
		for what, s := range bad {
			_, err := ParseMetadata([]byte(doc(s)))
			var v *ValidationError
			if !errors.As(err, &v) || v.Field() != field {
				t.Errorf("%s with a %s: err = %v, want a problem with %s", field, what, err, field)
			}
		}
	}
	for _, good := range []string{`"Zoë"`, `"مرحبا"`, `"שלום"`, `"👩‍💻"`, `"a b"`} {
		if _, err := ParseMetadata([]byte(fields["uploader.display_name"](good))); err != nil {
			t.Errorf("display name %s refused: %v", good, err)
		}
	}
}
