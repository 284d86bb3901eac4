package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/loupe-review/loupe/review"
)

// demoItemCount is how many synthetic items the demo ingests.
const demoItemCount = 36

// seedDemoItems sets up an "urgent" queue with a routing rule, then ingests
// synthetic, harmless images (gradients, shapes, "sample N" captions) with
// made-up metadata through the same ingest code as the API.
func seedDemoItems(ctx context.Context, a *app, now time.Time) error {
	ev := review.AuditEvent{Actor: "demo", Action: "queue.created", Target: "queue:urgent"}
	uq := review.NewQueue("urgent")
	uq.Description, uq.RequiredReviews, uq.SLAHours = "High scores on public content; two reviewers must agree.", 2, 4
	urgent, err := a.db.CreateQueue(ctx, uq, ev)
	if err != nil {
		return err
	}
	yes, p := true, 90
	rule := review.Rule{Name: "High score, publicly visible", QueueID: urgent.ID, Priority: &p, Enabled: true,
		Conditions: review.Conditions{Scores: map[string]float64{"csam": 0.9}, Public: &yes}}
	if _, err := a.db.CreateRule(ctx, rule, review.AuditEvent{Actor: "demo", Action: review.ActionRuleCreated, Target: "rule:" + rule.Name}); err != nil {
		return err
	}
	src, err := a.db.EnsureSource(ctx, "demo-platform")
	if err != nil {
		return err
	}
	caller := review.APIToken{Name: "demo", SourceID: src.ID, Source: src.Name}
	rng := rand.New(rand.NewPCG(17, 42))
	metas, uploads := make([][]byte, demoItemCount), make([][]review.Upload, demoItemCount)
	for n := 1; n <= demoItemCount; n++ {
		if metas[n-1], err = json.Marshal(demoMetadata(n, rng, now)); err != nil {
			return err
		}
		uploads[n-1] = []review.Upload{{Name: fmt.Sprintf("sample-%d.jpg", n), Bytes: encodeJPEG(synthImage(n, 640, 480, rng), 85)}}
		if n%6 == 0 { // some items hold two images
			uploads[n-1] = append(uploads[n-1], review.Upload{Name: fmt.Sprintf("sample-%db.png", n), Bytes: encodePNG(synthImage(n+100, 320, 320, rng))})
		}
	}
	// The lists exist before the items arrive, so ingest finds the matches.
	if err := seedDemoLists(ctx, a, uploads); err != nil {
		return err
	}
	for n := 1; n <= demoItemCount; n++ {
		if _, _, err := a.ingester.Ingest(ctx, caller, metas[n-1], uploads[n-1]); err != nil {
			return fmt.Errorf("demo item %d: %w", n, err)
		}
	}
	if err := seedDemoHistory(ctx, a); err != nil {
		return err
	}
	return seedDemoFamilies(ctx, a, caller, uploads[demoBlocked[0].item-1][0].Bytes, now)
}

// seedDemoHistory assigns the demo reviewer and lead to the queues and
// decides a few items, so queue pages show throughput and history.
func seedDemoHistory(ctx context.Context, a *app) error {
	var people []review.User
	for _, email := range []string{"reviewer@demo.example", "lead@demo.example"} {
		u, err := a.db.FindUserByEmail(ctx, email)
		if err != nil {
			return err
		}
		people = append(people, u)
	}
	for _, name := range []string{review.DefaultQueue, "urgent"} {
		q, err := a.db.FindQueueByName(ctx, name)
		if err != nil {
			return err
		}
		for _, u := range people {
			ev := review.AuditEvent{Actor: "demo", Action: review.ActionQueueMember, Target: "queue:" + name, Details: map[string]string{"user": u.Email}}
			if err := a.db.SetMember(ctx, q.ID, u.ID, true, ev); err != nil {
				return err
			}
		}
	}
	def, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return err
	}
	// Violating decisions become report cases, sent as export bundles (the
	// demo has no CyberTipline endpoint).
	settings := map[string]string{
		review.SettingReporterFirst: "Demo", review.SettingReporterLast: "Reporter", review.SettingReporterEmail: "reports@demo.example",
		review.SettingCompany: "Demo Platform Ltd", review.SettingService: "Demo Platform", review.SettingDestination: review.DestinationBundle,
	}
	if err := a.db.SaveSettings(ctx, settings, review.AuditEvent{Actor: "demo", Action: review.ActionSettingsSaved, Target: "report settings"}); err != nil {
		return err
	}
	verdicts := []review.Decision{{Verdict: review.NotViolating}, {Verdict: review.Violating, Category: "B2"}, {Verdict: review.NotViolating}, {Verdict: review.Escalate, Note: "demo: unsure"}}
	for i := range 8 {
		id, err := a.reviews.Claim(ctx, people[0], def.ID)
		if err != nil {
			return err
		}
		if _, _, err := a.reviews.Decide(ctx, people[0], id, verdicts[i%len(verdicts)]); err != nil {
			return err
		}
	}
	// These decisions are history: their effects need not wait for undo.
	_, err = a.db.SettleDecisions(ctx, a.reviews.Now().Add(review.UndoWindow))
	return err
}

// demoMetadata is made-up platform metadata: scores and labels are only
// numbers and words attached to harmless pictures.
func demoMetadata(n int, rng *rand.Rand, now time.Time) review.Metadata {
	public := rng.IntN(3) > 0
	priority := 20 + rng.IntN(60)
	account := fmt.Sprintf("acct-%d", 1+rng.IntN(8))
	uploaded := now.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
	surface := []string{"feed", "dm", "profile", "group"}[rng.IntN(4)]
	labels := []string{}
	if rng.IntN(3) == 0 {
		labels = append(labels, "user_report")
	}
	return review.Metadata{
		ExternalID: fmt.Sprintf("demo-%d", n),
		ContentURL: fmt.Sprintf("https://platform.example/p/%d", n),
		UploadedAt: uploaded.UTC().Format(time.RFC3339),
		Uploader: &review.Uploader{
			AccountID: account, ScreenName: "user_" + account[5:], DisplayName: "Demo user " + account[5:],
			ProfileURL: "https://platform.example/u/" + account, IP: fmt.Sprintf("192.0.2.%d", 1+rng.IntN(250)),
			IPEventTime: uploaded.Add(-time.Minute).UTC().Format(time.RFC3339),
		},
		Classifier: &review.Classifier{Name: "demo-classifier", Version: "1.0", Scores: map[string]float64{
			"csam":   float64(rng.IntN(100)) / 100,
			"nudity": float64(rng.IntN(100)) / 100,
		}},
		Labels:   labels,
		Context:  &review.Context{Surface: surface, Public: &public},
		Priority: &priority,
	}
}
