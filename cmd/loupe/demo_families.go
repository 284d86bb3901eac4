package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/loupe-review/loupe/review"
)

// demoFamilies are the demo's near-duplicate families: one harmless picture
// posted again as the listed kinds of copy, so the review screen shows a
// cluster with its strip at once.
var demoFamilies = [][]copyKind{
	{copyExact, copyReencode, copyResize, copyRotate, copyFlip},
	{copyExact, copyExact, copyReencode, copyCrop},
	{copyExact, copyResize, copyFlip},
}

// demoReposts is how many times the first block-listed demo picture is
// posted again byte for byte: known material, decided without a look where
// the queue allows it.
const demoReposts = 3

// seedDemoFamilies ingests the families and the re-posts after the other
// demo items, each copy as its own item with its own external id.
func seedDemoFamilies(ctx context.Context, a *app, caller review.APIToken, blocked []byte, now time.Time) error {
	rng := rand.New(rand.NewPCG(23, 5))
	n := 0
	ingest := func(name string, b []byte) error {
		n++
		m := demoMetadata(1000+n, rng, now)
		m.ExternalID = fmt.Sprintf("demo-copy-%d", n)
		meta, err := json.Marshal(m)
		if err != nil {
			return err
		}
		_, _, err = a.ingester.Ingest(ctx, caller, meta, []review.Upload{{Name: name, Bytes: b}})
		return err
	}
	for f, kinds := range demoFamilies {
		img := synthImage(500+f, 640, 480, rng)
		original := encodeJPEG(img, 90)
		for i, k := range kinds {
			if err := ingest(fmt.Sprintf("family-%d-%d.jpg", f+1, i+1), makeCopy(img, original, k, rng)); err != nil {
				return fmt.Errorf("demo family %d: %w", f+1, err)
			}
		}
	}
	for i := range demoReposts {
		if err := ingest(fmt.Sprintf("repost-%d.jpg", i+1), blocked); err != nil {
			return fmt.Errorf("demo re-post %d: %w", i+1, err)
		}
	}
	return nil
}
