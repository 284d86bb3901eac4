package review

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review/secret"
)

// TokenPrefix starts every API token, so leaked tokens are easy to scan for.
const TokenPrefix = "loupe_"

// NewToken makes an API token for source and stores only its digest. The
// token is returned once, to be shown once.
func NewToken(ctx context.Context, store SourceStore, random io.Reader, actor, name, source, scope string) (APIToken, string, error) {
	var v ValidationError
	if err := ValidateName("name", name); err != nil {
		v.Add("name", err.(*ValidationError).Problems["name"])
	}
	if err := ValidateName("source", source); err != nil {
		v.Add("source", err.(*ValidationError).Problems["source"])
	}
	if !validScope(scope) {
		v.Add("scope", "must be ingest, metrics or hashlist:ID")
	}
	if err := v.Err(); err != nil {
		return APIToken{}, "", err
	}
	raw, err := secret.Token(random, 32)
	if err != nil {
		return APIToken{}, "", err
	}
	raw = TokenPrefix + raw
	ev := AuditEvent{Actor: actor, Action: ActionTokenCreated, Target: "token:" + name, Details: map[string]string{"source": source, "scope": scope}}
	t, err := store.CreateToken(ctx, name, source, scope, secret.Digest(raw), actor, ev)
	return t, raw, err
}

// ListScope is the scope of a partner token that exports list l. It names
// the list's id, not its name: renaming lists never hands a partner another list.
func ListScope(l HashList) string { return ScopeHashlist + strconv.FormatInt(l.ID, 10) }

// validScope reports whether scope is ingest, metrics or hashlist:ID.
func validScope(scope string) bool {
	if scope == ScopeIngest || scope == ScopeMetrics {
		return true
	}
	id, ok := strings.CutPrefix(scope, ScopeHashlist)
	n, err := strconv.ParseInt(id, 10, 64)
	return ok && err == nil && n > 0 && strconv.FormatInt(n, 10) == id
}
