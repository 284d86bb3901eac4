package s3

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/loupe-review/loupe/review/egress"
)

// responseTimeout bounds the wait for an answer's headers from the S3
// server; whole requests are bounded by their context.
const responseTimeout = 30 * time.Second

// Endpoint returns the S3 endpoint the environment configures, "" for AWS
// itself: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, as the AWS SDKs read
// them.
func Endpoint(getenv func(string) string) string {
	if ep := getenv("AWS_ENDPOINT_URL_S3"); ep != "" {
		return ep
	}
	return getenv("AWS_ENDPOINT_URL")
}

// NewClient builds an S3 client from the standard AWS_* environment, read
// through getenv (os.Getenv in production):
//
//   - the endpoint (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) for servers
//     other than AWS, addressed path-style (s3://host/bucket/key), as
//     MinIO, versitygw and most others expect;
//   - the region (AWS_REGION or AWS_DEFAULT_REGION; us-east-1 when an
//     endpoint is set without one, as such servers accept any);
//   - static credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
//     AWS_SESSION_TOKEN), or else the SDK's default chain: shared profile,
//     web identity, SSO, container or instance role.
//
// Requests to the bucket go through egress.Infrastructure, which reaches
// the configured endpoint (or AWS) only. Checksums are sent and checked
// only where S3 requires them: the newer default (CRC32 trailers on every
// upload) is refused by several S3-compatible servers. Put sends a
// Content-MD5 instead, which every server checks.
func NewClient(ctx context.Context, getenv func(string) string) (*awss3.Client, error) {
	endpoint := Endpoint(getenv)
	httpClient, err := egress.Infrastructure{Endpoint: endpoint}.Client(responseTimeout)
	if err != nil {
		return nil, fmt.Errorf("s3: AWS_ENDPOINT_URL %w", err)
	}
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	if region == "" && endpoint != "" {
		region = "us-east-1"
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if id := getenv("AWS_ACCESS_KEY_ID"); id != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(id, getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN"))))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3: AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("s3: no region: set AWS_REGION")
	}
	return awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		o.HTTPClient = httpClient
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
	}), nil
}
