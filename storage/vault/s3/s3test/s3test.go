// Package s3test gives tests an empty bucket of their own on the real S3
// server LOUPE_TEST_S3 names (.ci/run starts Versity's S3 gateway and sets
// it, with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION).
// Without LOUPE_TEST_S3 the tests that need it are skipped, saying so.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/loupe-review/loupe/storage/vault/s3"
)

// Var names the test server's endpoint, such as http://127.0.0.1:7070.
const Var = "LOUPE_TEST_S3"

// Getenv is os.Getenv with AWS_ENDPOINT_URL set to the test server: the
// environment a Loupe command reads to reach it.
func Getenv(key string) string {
	switch key {
	case "AWS_ENDPOINT_URL":
		return os.Getenv(Var)
	case "AWS_ENDPOINT_URL_S3":
		return ""
	}
	return os.Getenv(key)
}

// Bucket creates an empty bucket for t, removed with its objects when t
// ends, and returns it as a location with prefix. It skips t when
// LOUPE_TEST_S3 is not set.
func Bucket(t testing.TB) s3.Location {
	t.Helper()
	if os.Getenv(Var) == "" {
		t.Skip(Var + " is not set: S3 tests skipped (set it to an S3 endpoint such as http://127.0.0.1:7070, with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, as .ci/run does)")
	}
	ctx := context.Background()
	c, err := s3.NewClient(ctx, Getenv)
	if err != nil {
		t.Fatal(err)
	}
	name := "loupe-test-" + hex.EncodeToString(randomBytes(10))
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket at %s: %v", os.Getenv(Var), err)
	}
	t.Cleanup(func() { empty(t, c, name) })
	return s3.Location{Bucket: name, Prefix: "media/"}
}

// Open returns a store in a new bucket (see Bucket).
func Open(t testing.TB) *s3.Store {
	t.Helper()
	loc := Bucket(t)
	st, err := s3.Open(context.Background(), loc, Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// empty deletes a test bucket and everything in it.
func empty(t testing.TB, c *awss3.Client, bucket string) {
	ctx := context.Background()
	pages := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Logf("empty test bucket %s: %v", bucket, err)
			return
		}
		for _, o := range page.Contents {
			if _, err := c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key}); err != nil {
				t.Logf("empty test bucket %s: %v", bucket, err)
			}
		}
	}
	if _, err := c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Logf("remove test bucket %s: %v", bucket, err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
