package review

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fakeSwitch records what QA switched off.
type fakeSwitch struct{ off map[int64]string }

func (f *fakeSwitch) DisableAutomation(_ context.Context, queueID int64, reason string) error {
	f.off[queueID] = reason
	return nil
}

// fakeQuality keeps closed automated samples and alerts; the window
// restarts after an alert, as the store's does.
type fakeQuality struct {
	QualityStore
	closed []Sample // newest first
	alerts []QualityAlert
}

func (f *fakeQuality) FindAutomationSamples(_ context.Context, queueID int64, limit int) ([]Sample, error) {
	return f.closed[:min(limit, len(f.closed))], nil
}

func (f *fakeQuality) CreateQualityAlert(_ context.Context, a QualityAlert, ev AuditEvent) error {
	f.alerts = append(f.alerts, a)
	f.closed = nil
	return nil
}

// Automation stays on while QA upholds it, and switches itself off, with
// an alert to the leads, once agreement over its latest samples drops
// below 95%.
func TestAutomationSwitchesOffWhenAgreementDrops(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	store := &fakeQuality{}
	sw := &fakeSwitch{off: map[int64]string{}}
	qa := &Quality{Store: store, Automation: sw, Reviewing: &Reviewing{Now: func() time.Time { return now }}}
	ctx := context.Background()

	// 100 checked, 95 upheld: at the threshold, still on.
	store.closed = closedRun(100, 5)
	if err := qa.CheckAutomation(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if len(sw.off) != 0 || len(store.alerts) != 0 {
		t.Fatalf("switched off at 95%%: %v %v", sw.off, store.alerts)
	}
	// One more overturned decision: 95 of 101 upheld (94.1%).
	store.closed = append(closedRun(1, 1), store.closed...)
	if err := qa.CheckAutomation(ctx, 7); err != nil {
		t.Fatal(err)
	}
	reason, off := sw.off[7]
	if !off || !strings.Contains(reason, "95 of the last 101") {
		t.Fatalf("automation of queue 7 not switched off (reason %q)", reason)
	}
	if len(store.alerts) != 1 || store.alerts[0].QueueID != 7 || !strings.HasPrefix(store.alerts[0].Text, "Automation switched off: ") {
		t.Fatalf("leads not alerted: %+v", store.alerts)
	}
	// The next check starts a new window: no second alert from old samples.
	if err := qa.CheckAutomation(ctx, 7); err != nil || len(store.alerts) != 1 {
		t.Fatalf("alerted again: %v, %+v", err, store.alerts)
	}
}

// Without a switch wired in, QA still tells the leads to switch it off.
func TestAutomationAlertWithoutSwitch(t *testing.T) {
	store := &fakeQuality{closed: closedRun(30, 5)}
	qa := &Quality{Store: store, Reviewing: &Reviewing{Now: time.Now}}
	if err := qa.CheckAutomation(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if len(store.alerts) != 1 || !strings.HasPrefix(store.alerts[0].Text, "Switch automation off: ") {
		t.Fatalf("alerts = %+v", store.alerts)
	}
}
