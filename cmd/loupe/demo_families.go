package main

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math/rand/v2"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/pdq"
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
		private := false // kept out of the urgent queue, so a family stays in one queue
		m.ExternalID, m.Context.Public = fmt.Sprintf("demo-copy-%d", n), &private
		meta, err := json.Marshal(m)
		if err != nil {
			return err
		}
		_, _, err = a.ingester.Ingest(ctx, caller, meta, []review.Upload{{Name: name, Bytes: b}})
		return err
	}
	for f, kinds := range demoFamilies {
		img := hashableImage(500+f, 640, 480, rng)
		original := encodeJPEG(img, 90)
		for i, k := range kinds {
			if err := ingest(fmt.Sprintf("family-%d-%d.jpg", f+1, i+1), makeCopy(img, original, k, rng)); err != nil {
				return fmt.Errorf("demo family %d: %w", f+1, err)
			}
		}
	}
	if err := demoAutomation(ctx, a); err != nil {
		return err
	}
	for i := range demoReposts {
		if err := ingest(fmt.Sprintf("repost-%d.jpg", i+1), blocked); err != nil {
			return fmt.Errorf("demo re-post %d: %w", i+1, err)
		}
	}
	return nil
}

// demoAutomation lets the default queue decide exact and near copies of
// the demo block list without a look, as its lead configured it; the
// list's entries were imported, so the lead marks it trusted first.
func demoAutomation(ctx context.Context, a *app) error {
	lead, err := a.db.FindUserByEmail(ctx, "lead@demo.example")
	if err != nil {
		return err
	}
	list, err := a.db.FindHashListByName(ctx, "demo-known")
	if err != nil {
		return err
	}
	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return err
	}
	if err := a.db.SetListTrusted(ctx, list.ID, true, review.AuditEvent{Actor: lead.Email, Action: review.ActionHashListTrusted, Target: "hashlist:" + list.Name}); err != nil {
		return err
	}
	auto := review.Automation{QueueID: q.ID, Enabled: true, BlockListID: list.ID, BlockDistance: review.DefaultThreshold, ByID: lead.ID, By: lead.Email}
	return a.db.SetAutomation(ctx, auto, review.AuditEvent{Actor: lead.Email, Action: review.ActionAutomationSet, Target: "queue:" + q.Name})
}

// hashableImage draws synthetic pictures until one has a PDQ hash of
// quality 50 or more (at most ten tries): a smooth gradient hashes too
// poorly for its near copies to be matched, as PDQ intends.
func hashableImage(n, w, h int, rng *rand.Rand) *image.RGBA {
	img := synthImage(n, w, h, rng)
	for range 9 {
		if pdq.DihedralFromImage(img)[0].Quality >= 50 {
			break
		}
		img = synthImage(n, w, h, rng)
	}
	return img
}
