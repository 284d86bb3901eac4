package review

import (
	"regexp"
	"time"
)

// Source is a platform or surface that sends items, with where its
// decision callbacks go.
type Source struct {
	ID          int64
	Name        string
	CallbackURL string
	HasSecret   bool // the secret itself never leaves storage except to sign
	CreatedAt   time.Time
}

// Token scopes: ingest for platforms sending items; hashlist:ID (see
// ListScope) for a partner synchronising one list; metrics for a Prometheus server.
const (
	ScopeIngest   = "ingest"
	ScopeHashlist = "hashlist:"
	ScopeMetrics  = "metrics"
)

// APIToken lets one source's integration call the API. Only its digest is stored.
type APIToken struct {
	ID         int64
	Name       string
	SourceID   int64
	Source     string
	Scope      string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Revoked reports whether the token no longer works.
func (t APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ValidateName checks a short identifier such as a source, token or queue name.
func ValidateName(field, s string) error {
	if !namePattern.MatchString(s) {
		return Invalid(field, "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}
