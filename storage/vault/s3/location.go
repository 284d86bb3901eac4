package s3

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Location is where a vault keeps its objects in S3: a bucket, and a
// prefix ("" or ending in "/") before every object's id.
type Location struct {
	Bucket string
	Prefix string
}

// String is the location as --media takes it.
func (l Location) String() string {
	if l.Prefix == "" {
		return "s3://" + l.Bucket
	}
	return "s3://" + l.Bucket + "/" + strings.TrimSuffix(l.Prefix, "/")
}

var (
	// bucketPattern is S3's rule for bucket names that work with every
	// addressing style: 3 to 63 lower-case letters, digits, dots and
	// hyphens, starting and ending with a letter or digit.
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// segmentPattern is one part of a prefix: characters every S3 server
	// and console handles without escaping.
	segmentPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// ParseURL reads s3://BUCKET or s3://BUCKET/PREFIX. The error says what to
// change, for the person who typed it.
func ParseURL(raw string) (Location, error) {
	const want = "want s3://BUCKET or s3://BUCKET/PREFIX"
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Opaque != "" {
		return Location{}, fmt.Errorf("%q: %s", raw, want)
	}
	if u.User != nil || u.Port() != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return Location{}, fmt.Errorf("%q: %s, without credentials, port or query (credentials and endpoint come from the AWS_* environment)", raw, want)
	}
	if !bucketPattern.MatchString(u.Host) || strings.Contains(u.Host, "..") {
		return Location{}, fmt.Errorf("%q: bucket name %q is not valid: 3 to 63 lower-case letters, digits, dots and hyphens", raw, u.Host)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix == "" {
		return Location{Bucket: u.Host}, nil
	}
	for seg := range strings.SplitSeq(prefix, "/") {
		if !segmentPattern.MatchString(seg) || seg == "." || seg == ".." {
			return Location{}, fmt.Errorf("%q: prefix %q is not valid: parts of letters, digits, '.', '_' and '-' separated by single slashes", raw, prefix)
		}
	}
	return Location{Bucket: u.Host, Prefix: prefix + "/"}, nil
}
