package review

import (
	"errors"
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
