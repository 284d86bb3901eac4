package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/prometheus/client_golang/prometheus"
)

// The figures read from the database. Their labels are queues, kinds,
// verdicts and renditions: never a person, an item or a source account.
var (
	descStoreUp = prometheus.NewDesc("loupe_store_up",
		"1 when the database figures below were read at this scrape, 0 when reading them failed (the error is logged).", nil, nil)
	descQueueDepth = prometheus.NewDesc("loupe_queue_depth",
		"Items waiting in a queue: queued, awaiting a second review, or escalated (leased ones included).", []string{"queue"}, nil)
	descQueueOldest = prometheus.NewDesc("loupe_queue_oldest_item_age_seconds",
		"Age of the longest-waiting item of a queue since it was received; 0 when the queue is empty.", []string{"queue"}, nil)
	descQueueInReview = prometheus.NewDesc("loupe_queue_in_review",
		"Waiting items of a queue that a reviewer holds under a live lease.", []string{"queue"}, nil)
	descQueueExpired = prometheus.NewDesc("loupe_queue_expired_leases",
		"Waiting items of a queue whose lease ran out while still naming a reviewer: abandoned, never released (the page closed, the network went). The next claim takes them over.", []string{"queue"}, nil)
	descItems = prometheus.NewDesc("loupe_items_ingested_total",
		"Items ever received, through the API or loupe import.", nil, nil)
	descDecisions = prometheus.NewDesc("loupe_decisions_total",
		"Decisions recorded, by kind (first, second, escalation, override) and verdict.", []string{"kind", "verdict"}, nil)
	descReveals = prometheus.NewDesc("loupe_reveals_total",
		"Reveals by the whole team, by rendition. Team totals only: never per person.", []string{"rendition"}, nil)
	descExposure = prometheus.NewDesc("loupe_exposure_seconds_total",
		"Seconds of closed reveals by the whole team as the exposure ledger accounts them, by rendition. Team totals only: never per person.", []string{"rendition"}, nil)
	descOutboxBacklog = prometheus.NewDesc("loupe_outbox_backlog",
		"Outbox entries not delivered yet and still being retried, by kind (callback; report when reports exist).", []string{"kind"}, nil)
	descOutboxGivenUp = prometheus.NewDesc("loupe_outbox_given_up",
		"Outbox entries not delivered after every attempt, by kind; they wait for an admin.", []string{"kind"}, nil)
	descOutboxDelivered = prometheus.NewDesc("loupe_outbox_delivered_total",
		"Outbox entries delivered, by kind.", []string{"kind"}, nil)
	descOutboxFailures = prometheus.NewDesc("loupe_outbox_failed_attempts_total",
		"Delivery attempts that got no 2xx answer, by kind.", []string{"kind"}, nil)
)

// storeCollector reads review.Metrics at each scrape, so the figures
// survive restarts and agree with the database.
type storeCollector struct {
	store review.MetricsStore
	now   func() time.Time
	log   *slog.Logger
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descStoreUp, descQueueDepth, descQueueOldest, descQueueInReview, descQueueExpired, descItems,
		descDecisions, descReveals, descExposure, descOutboxBacklog, descOutboxGivenUp, descOutboxDelivered, descOutboxFailures} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := c.store.FindMetrics(ctx, c.now())
	if err != nil {
		c.log.Error("read metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 1)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	for _, q := range m.Queues {
		gauge(descQueueDepth, float64(q.Depth), q.Name)
		gauge(descQueueOldest, q.OldestAge.Seconds(), q.Name)
		gauge(descQueueInReview, float64(q.InReview), q.Name)
		gauge(descQueueExpired, float64(q.ExpiredLeases), q.Name)
	}
	counter(descItems, float64(m.ItemsIngested))
	for _, d := range m.Decisions {
		counter(descDecisions, float64(d.Count), string(d.Kind), string(d.Verdict))
	}
	for _, e := range m.Exposure {
		counter(descReveals, float64(e.Reveals), e.Rendition)
		counter(descExposure, e.Seconds, e.Rendition)
	}
	for _, o := range m.Outbox {
		gauge(descOutboxBacklog, float64(o.Backlog), o.Kind)
		gauge(descOutboxGivenUp, float64(o.GivenUp), o.Kind)
		counter(descOutboxDelivered, float64(o.Delivered), o.Kind)
		counter(descOutboxFailures, float64(o.FailedAttempts), o.Kind)
	}
}
