package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"image"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/pdq"
)

// setUpExposureQueue sets up the default queue, where every item goes (one review per item, no
// report cases, no quality sampling, so that only reviewing is measured)
// and the block list of the listed pictures' originals, by MD5 and PDQ.
func setUpExposureQueue(ctx context.Context, a *app, w exposureWorkload, seeItOnce bool) (review.Queue, error) {
	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return q, err
	}
	q.Reportable, q.ClusterThreshold = false, 0
	if seeItOnce {
		q.ClusterThreshold = review.DefaultClusterThreshold
	}
	if err := a.db.UpdateQueue(ctx, q, review.AuditEvent{Actor: "bench", Action: review.ActionQueueUpdated}); err != nil {
		return q, err
	}
	list, err := a.hashes.Create(ctx, "bench", review.HashList{Name: "known", Kind: "block", Category: "A1", Threshold: review.DefaultThreshold, Enabled: true})
	if err != nil {
		return q, err
	}
	var rows []hashlist.Row
	for i, b := range w.Listed {
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			return q, err
		}
		sum := md5.Sum(b)
		rows = append(rows,
			hashlist.Row{Line: 2*i + 1, Entry: hashlist.Entry{Type: hashlist.MD5, Value: hex.EncodeToString(sum[:]), Category: "A1"}},
			hashlist.Row{Line: 2*i + 2, Entry: hashlist.Entry{Type: hashlist.PDQ, Value: pdq.DihedralFromImage(img)[0].Hash.String(), Category: "A1"}})
	}
	if _, err := a.hashes.Import(ctx, "bench", list, rows); err != nil {
		return q, err
	}
	return q, configureSeeItOnce(ctx, a, q, list, seeItOnce)
}

// configureSeeItOnce sets the pass's queue: no quality sampling in either
// pass; with seeItOnce, the block list (marked trusted, its entries being
// imports) decides matches at distance 31 or less.
func configureSeeItOnce(ctx context.Context, a *app, q review.Queue, list review.HashList, seeItOnce bool) error {
	ev := review.AuditEvent{Actor: "bench", Action: review.ActionQueueUpdated}
	if err := a.db.SetQAPercent(ctx, q.ID, 0, ev); err != nil {
		return err
	}
	// The simulated reviewers are programs: the limits that send people on
	// breaks would only stop the count.
	off := review.Limits{review.LimitDailyBudget: 0, review.LimitContinuous: 0, review.LimitSeverePerHour: 0, review.LimitRevealPerItem: 0, review.LimitCooldown: 0}
	if err := a.db.SetLimits(ctx, review.ScopeOrg, 0, off, review.AuditEvent{Actor: "bench", Action: review.ActionLimitsChanged}); err != nil {
		return err
	}
	if !seeItOnce {
		return nil
	}
	lead, err := benchAccount(ctx, a, "lead@bench.example", review.RoleLead)
	if err != nil {
		return err
	}
	if err := a.db.SetListTrusted(ctx, list.ID, true, review.AuditEvent{Actor: lead.Email, Action: review.ActionHashListTrusted}); err != nil {
		return err
	}
	auto := review.Automation{QueueID: q.ID, Enabled: true, BlockListID: list.ID, BlockDistance: review.DefaultThreshold, ByID: lead.ID, By: lead.Email}
	return a.db.SetAutomation(ctx, auto, review.AuditEvent{Actor: lead.Email, Action: review.ActionAutomationSet})
}
