package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/vault/s3/s3test"
)

// A malformed --media, LOUPE_MEDIA or AWS_ENDPOINT_URL is a usage error
// (exit 2) that says what to write, before anything is created.
func TestMediaLocationRefusesMalformedValues(t *testing.T) {
	for _, tc := range []struct {
		media, endpoint, want string
	}{
		{"/var/lib/loupe/media", "", "want s3://BUCKET"},
		{"s3://", "", "bucket name"},
		{"s3://Bad_Bucket/media", "", "bucket name"},
		{"s3://loupe-media:9000/media", "", "without credentials, port or query"},
		{"s3://loupe-media/../up", "", "prefix"},
		{"s3://loupe-media/media", "localhost:9000", "AWS_ENDPOINT_URL"},
		{"s3://loupe-media/media", "https://minio.internal/bucket", "AWS_ENDPOINT_URL"},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		var stderr bytes.Buffer
		e := env{stderr: &stderr, getenv: func(k string) string {
			return map[string]string{"AWS_ENDPOINT_URL": tc.endpoint, "LOUPE_MEDIA": tc.media}[k]
		}, args: []string{"--data", dir}}
		err := cmdDoctor(context.Background(), e)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LOUPE_MEDIA=%q AWS_ENDPOINT_URL=%q: %v, want a usage error naming %q", tc.media, tc.endpoint, err, tc.want)
		}
	}
	code, _, stderr := loupe(t, t.TempDir(), "", "doctor", "--media", "s3://UPPER/x")
	if code != 2 || !strings.Contains(stderr, "--media") {
		t.Errorf("--media flag: exit %d %q, want 2 naming --media", code, stderr)
	}
}

// With --media s3://..., media goes to the bucket, and doctor reads every
// object there: it finds one deleted and one altered behind Loupe's back.
func TestDoctorChecksObjectsInTheBucket(t *testing.T) {
	loc := s3test.Bucket(t)
	ctx := context.Background()
	where := location{Data: t.TempDir(), Media: loc.String()}
	a, err := openApp(ctx, where, env{stderr: io.Discard, getenv: s3test.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := seedDemo(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := seedDemoItems(ctx, a, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	doctor := func() (string, error) {
		var out bytes.Buffer
		err := cmdDoctor(ctx, env{stdout: &out, stderr: io.Discard, getenv: s3test.Getenv,
			args: []string{"--data", where.Data, "--media", where.Media}})
		return out.String(), err
	}
	if out, err := doctor(); err != nil || !strings.Contains(out, "is healthy") {
		t.Fatalf("doctor on a fresh bucket: %v\n%s", err, out)
	}

	var originals []string
	objects, err := a.db.MediaObjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objects {
		if o.Sealed == nil && o.Kind == review.KindOriginal {
			originals = append(originals, o.MediaID)
		}
	}
	stored := 0
	if err := a.vault.Walk(ctx, func(string) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(originals) < 2 || stored < len(originals) {
		t.Fatalf("%d originals in the database, %d objects in the bucket", len(originals), stored)
	}
	bucket := a.vault.Store()
	missing, altered := review.ObjectID(originals[0], review.KindOriginal), review.ObjectID(originals[1], review.KindOriginal)
	if err := bucket.Delete(ctx, missing); err != nil {
		t.Fatal(err)
	}
	raw, err := bucket.Get(ctx, altered)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 0x40
	if err := bucket.Put(ctx, altered, raw); err != nil {
		t.Fatal(err)
	}
	out, err := doctor()
	if err == nil || !strings.Contains(err.Error(), "2 problems") {
		t.Errorf("doctor: %v, want 2 problems", err)
	}
	if !strings.Contains(out, "media "+originals[0]+" original") || !strings.Contains(out, "object missing") ||
		!strings.Contains(out, "media "+originals[1]+" original") || !strings.Contains(out, "corrupt") {
		t.Errorf("doctor's report does not name the missing and the altered object:\n%s", out)
	}
}
