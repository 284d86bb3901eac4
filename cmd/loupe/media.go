package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/loupe-review/loupe/review/egress"
	"github.com/loupe-review/loupe/storage/vault"
	"github.com/loupe-review/loupe/storage/vault/s3"
)

// mediaPingTimeout bounds the check that a bucket answers at start.
const mediaPingTimeout = 10 * time.Second

// openMedia opens where media objects are kept: the directory DATA/media
// (0700), or the bucket --media names, which must answer before anything
// else starts. A malformed --media or AWS_ENDPOINT_URL is a usage error.
func openMedia(ctx context.Context, loc location, e env) (vault.Store, error) {
	if loc.Media == "" {
		dir := filepath.Join(loc.Data, "media")
		if err := privateDir(dir, e.stderr); err != nil {
			return nil, err
		}
		return vault.OpenDir(dir)
	}
	where, err := s3.ParseURL(loc.Media)
	if err != nil {
		return nil, fmt.Errorf("%w: --media %w", errUsage, err)
	}
	if err := (egress.Infrastructure{Endpoint: s3.Endpoint(e.getenv)}).CheckEndpoint(); err != nil {
		return nil, fmt.Errorf("%w: AWS_ENDPOINT_URL %w", errUsage, err)
	}
	st, err := s3.Open(ctx, where, e.getenv)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, mediaPingTimeout)
	defer cancel()
	if err := st.Ping(pingCtx); err != nil {
		return nil, fmt.Errorf("media bucket %s does not answer: %w", st, err)
	}
	return st, nil
}
