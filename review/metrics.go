package review

import (
	"context"
	"time"
)

// Metrics are team-wide figures for monitoring, computed from the database
// when they are asked for, so they survive restarts and stay true. Nothing
// in them names or counts a single person: exposure is a team total.
type Metrics struct {
	Queues        []QueueMetrics
	ItemsIngested int64
	Decisions     []DecisionCount
	Exposure      []ExposureTotal
	Outbox        []OutboxMetrics
}

// QueueMetrics describe one queue's waiting work (items queued, awaiting a
// second review or escalated).
type QueueMetrics struct {
	Name      string
	Depth     int64
	OldestAge time.Duration // of the longest-waiting item; 0 when empty
	InReview  int64         // waiting items under a live lease
	// ExpiredLeases are waiting items whose lease ran out while still naming
	// a reviewer: abandoned, never released; the next claim takes them.
	ExpiredLeases int64
}

// DecisionCount is how many decisions of a kind reached a verdict.
type DecisionCount struct {
	Kind    DecisionKind
	Verdict Verdict
	Count   int64
}

// ExposureTotal is the team's reveals of one rendition and the seconds
// they lasted as the ledger accounts them (closed reveals only).
type ExposureTotal struct {
	Rendition string
	Reveals   int64
	Seconds   float64
}

// OutboxMetrics describe one kind of outbox entry.
type OutboxMetrics struct {
	Kind           string
	Backlog        int64 // not delivered yet, still being tried
	GivenUp        int64 // not delivered after MaxAttempts
	Delivered      int64
	FailedAttempts int64 // every attempt that got no 2xx answer
}

// KindReport names the report outbox in monitoring; its state lives on
// the report cases rather than in the outbox table.
const KindReport = "report"

// OutboxKinds are the outbox kinds monitoring always reports, at zero when
// none exist (the report outbox is always reported too).
var OutboxKinds = []string{KindCallback}

// MetricsStore computes Metrics at now.
type MetricsStore interface {
	FindMetrics(ctx context.Context, now time.Time) (Metrics, error)
}
