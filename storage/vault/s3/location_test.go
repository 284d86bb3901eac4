package s3

import "testing"

func TestParseURL(t *testing.T) {
	good := map[string]Location{
		"s3://loupe-media":                 {Bucket: "loupe-media"},
		"s3://loupe-media/":                {Bucket: "loupe-media"},
		"s3://loupe.media/prod":            {Bucket: "loupe.media", Prefix: "prod/"},
		"s3://abc/prod/vault_1/":           {Bucket: "abc", Prefix: "prod/vault_1/"},
		"s3://a1b/team-a.2026/media.files": {Bucket: "a1b", Prefix: "team-a.2026/media.files/"},
	}
	for raw, want := range good {
		got, err := ParseURL(raw)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{
		"", "bucket/prefix", "/var/lib/loupe/media", "https://bucket/prefix", "s3:bucket", "s3://",
		"s3://ab", "s3://Upper", "s3://-dash", "s3://dots..dots", "s3://bucket_underscore",
		"s3://key:secret@bucket", "s3://bucket:9000/p", "s3://bucket/p?versionId=1", "s3://bucket/p#x",
		"s3://bucket/a//b", "s3://bucket/../up", "s3://bucket/a/./b", "s3://bucket/with space",
	} {
		if loc, err := ParseURL(raw); err == nil {
			t.Errorf("%q accepted as %+v", raw, loc)
		}
	}
	if got := (Location{Bucket: "b-1", Prefix: "p/q/"}).String(); got != "s3://b-1/p/q" {
		t.Errorf("String = %q", got)
	}
}
