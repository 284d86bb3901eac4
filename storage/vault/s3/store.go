// Package s3 keeps a vault's sealed objects in an S3 bucket (AWS, or any
// S3-compatible server: MinIO, versitygw, Ceph, Garage), one object per
// id under a prefix. It implements vault.Store: the vault has encrypted
// every object before it gets here, so the bucket holds ciphertext only.
package s3

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/loupe-review/loupe/storage/vault"
)

// Store is a vault.Store in a bucket.
type Store struct {
	client *awss3.Client
	loc    Location
}

// Open returns a store at loc, with a client configured from the AWS_*
// environment read through getenv (see NewClient). It does not contact
// the server: Ping does.
func Open(ctx context.Context, loc Location, getenv func(string) string) (*Store, error) {
	c, err := NewClient(ctx, getenv)
	if err != nil {
		return nil, err
	}
	return &Store{client: c, loc: loc}, nil
}

func (s *Store) String() string { return s.loc.String() }

func (s *Store) key(id string) *string { return aws.String(s.loc.Prefix + id) }

// Put uploads data with its MD5, which the server checks, and returns
// once the server has answered that it stored the object.
func (s *Store) Put(ctx context.Context, id string, data []byte) error {
	sum := md5.Sum(data)
	_, err := s.client.PutObject(ctx, &awss3.PutObjectInput{
		Bucket:        aws.String(s.loc.Bucket),
		Key:           s.key(id),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentMD5:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		ContentType:   aws.String("application/octet-stream"),
	})
	if err != nil {
		return fmt.Errorf("s3: put %s: %w", id, err)
	}
	return nil
}

func (s *Store) Get(ctx context.Context, id string) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(s.loc.Bucket), Key: s.key(id)})
	if notFound(err) {
		return nil, fmt.Errorf("s3: get %s: %w: %w", id, vault.ErrMissing, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", id, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", id, err)
	}
	return b, nil
}

func (s *Store) Exists(ctx context.Context, id string) (bool, error) {
	_, err := s.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(s.loc.Bucket), Key: s.key(id)})
	if notFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("s3: exists %s: %w", id, err)
	}
	return true, nil
}

// Delete removes the object. S3 answers success for a missing key too;
// with versioning on, the bucket keeps the old version (ciphertext whose
// wrapped key is gone with the database row) until its lifecycle rule
// expires it.
func (s *Store) Delete(ctx context.Context, id string) error {
	_, err := s.client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(s.loc.Bucket), Key: s.key(id)})
	if err != nil && !notFound(err) {
		return fmt.Errorf("s3: delete %s: %w", id, err)
	}
	return nil
}

// Walk lists the keys under the prefix, in the lexical order S3 lists
// them in, skipping keys that are not an id (deeper paths, other files).
func (s *Store) Walk(ctx context.Context, fn func(id string) error) error {
	pages := awss3.NewListObjectsV2Paginator(s.client, &awss3.ListObjectsV2Input{
		Bucket: aws.String(s.loc.Bucket),
		Prefix: aws.String(s.loc.Prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("s3: walk %s: %w", s.loc, err)
		}
		for _, o := range page.Contents {
			id := strings.TrimPrefix(aws.ToString(o.Key), s.loc.Prefix)
			if vault.CheckID(id) != nil {
				continue
			}
			if err := fn(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// Ping asks whether the bucket exists and these credentials may use it:
// a HEAD request, the cheapest S3 has.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(s.loc.Bucket)}); err != nil {
		return fmt.Errorf("s3: bucket %s: %w", s.loc.Bucket, err)
	}
	return nil
}

// notFound reports whether err is S3's answer that a key does not exist.
// A missing bucket is not a missing object: it must not read as one, or a
// misconfigured bucket would look like lost media, or Delete would succeed
// at nothing.
func notFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket" {
		return false
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == 404
}
