package main

import (
	"context"

	"github.com/loupe-review/loupe/review/pdqindex"
)

// cmdBenchMatch measures the PDQ index against a brute-force scan.
func cmdBenchMatch(ctx context.Context, e env) error {
	fs := newFlags(e, "bench match", "bench match [--n 10000000] [--queries 10000]")
	n := fs.Int("n", 10_000_000, "random PDQ hashes in the index (with planted near-duplicates)")
	queries := fs.Int("queries", 10_000, "queries to time")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	return pdqindex.RunBenchmark(e.stdout, *n, *queries, *seed)
}
