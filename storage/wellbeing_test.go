package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestBreakReleasesWorkAndRunsOnce(t *testing.T) { eachEngine(t, testBreakReleasesWorkAndRunsOnce) }

func testBreakReleasesWorkAndRunsOnce(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	q := seedItems(t, db, 1, review.NewQueue("q"))
	id, _ := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', ?, 0, 'image/png', 1, 10, 10, '', '')`, id)
	e := review.Exposure{ReviewerID: r[0], ItemID: id, MediaID: "m1", Rendition: "colour", RegionFraction: 1, StartedAt: c.Now(), CapAt: c.Now().Add(10 * time.Second)}
	if _, err := db.CreateReveal(ctx, e, "grant-1", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	c.Advance(4 * time.Second)
	b := review.Break{UserID: r[0], Reason: review.BreakContinuous, StartedAt: c.Now(), EndsAt: c.Now().Add(15 * time.Minute)}
	b, err := db.StartBreak(ctx, b, review.AuditEvent{Action: review.ActionBreakStarted})
	if err != nil || b.ID == 0 {
		t.Fatalf("start break: %+v, %v", b, err)
	}
	it, _ := db.FindItemByID(ctx, id)
	if it.HeldBy(r[0], c.Now()) {
		t.Error("the reviewer still holds the item on a break")
	}
	got, _ := db.FindExposures(ctx, id)
	if len(got) != 1 || got[0].Open() || got[0].Seconds != 4 || got[0].ClosedBy != "break" {
		t.Errorf("the reveal running at the break: %+v", got)
	}
	// A second start while it runs returns the running break.
	again, err := db.StartBreak(ctx, review.Break{UserID: r[0], Reason: review.BreakStepAway, StartedAt: c.Now(), EndsAt: c.Now().Add(time.Minute)}, review.AuditEvent{Action: "test"})
	if err != nil || again.ID != b.ID || again.Reason != review.BreakContinuous {
		t.Errorf("second start: %+v, %v", again, err)
	}
	// An enforced break cannot be ended early.
	if _, err := db.EndBreak(ctx, r[0], c.Now(), review.AuditEvent{Action: "test"}); !errors.Is(err, review.ErrForbidden) {
		t.Errorf("ending an enforced break: %v", err)
	}
	c.Advance(15 * time.Minute)
	if _, err := db.EndBreak(ctx, r[0], c.Now(), review.AuditEvent{Action: "test"}); !errors.Is(err, review.ErrConflict) {
		t.Errorf("ending a finished break: %v", err)
	}
	away, _ := db.StartBreak(ctx, review.Break{UserID: r[0], Reason: review.BreakStepAway, StartedAt: c.Now(), EndsAt: c.Now().Add(15 * time.Minute)}, review.AuditEvent{Action: "test"})
	c.Advance(2 * time.Minute)
	ended, err := db.EndBreak(ctx, r[0], c.Now(), review.AuditEvent{Action: "test"})
	if err != nil || ended.ID != away.ID || !ended.CutShort() {
		t.Errorf("ending a step-away break: %+v, %v", ended, err)
	}
	breaks, _ := db.FindBreaks(ctx, r[0], c.Now().Add(-time.Hour))
	if len(breaks) != 2 || breaks[1].Active(c.Now()) {
		t.Errorf("breaks: %+v", breaks)
	}
}

func TestLedgerCountsExposureUnderTheFinalSeverity(t *testing.T) {
	eachEngine(t, testLedgerCountsExposureUnderTheFinalSeverity)
}

func testLedgerCountsExposureUnderTheFinalSeverity(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 2)
	q := seedItems(t, db, 2, review.NewQueue("q"))
	insert := func(item, user int64, rendition string, fraction, secs float64) {
		t.Helper()
		media := "m" + string(rune('0'+item))
		db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES (?, ?, 0, 'image/png', 1, 10, 10, '', '') ON CONFLICT DO NOTHING`, media, item)
		if _, err := db.w.Exec(`INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, region_fraction, started_at, cap_at, ended_at, seconds, closed_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reblur')`, user, item, media, rendition, fraction, fmtTime(c.Now()), fmtTime(c.Now()), fmtTime(c.Now()), secs); err != nil {
			t.Fatal(err)
		}
	}
	items, _ := db.FindWaiting(ctx, q.ID, 10)
	a, b := items[0].ID, items[1].ID
	insert(a, r[0], "colour", 1, 10)
	insert(a, r[0], "spotlight", 0.5, 8)
	insert(b, r[1], "grey", 1, 6)
	if _, err := db.w.Exec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, category, final, severe, created_at) VALUES (?, ?, 'first', 'violating', 'A1', 1, 1, ?)`, a, r[0], fmtTime(c.Now())); err != nil {
		t.Fatal(err)
	}
	led, err := db.FindLedger(ctx, 0, c.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var severe, undecided, weighted float64
	for _, e := range led.Exposures {
		switch e.Severity {
		case review.SeveritySevere:
			severe += e.Seconds
		case review.SeverityUndecided:
			undecided += e.Seconds
		}
		weighted += e.Weighted()
	}
	if severe != 18 || undecided != 6 || weighted != 20+8+6 {
		t.Errorf("severe %v (want 18), undecided %v (want 6), weighted %v (want 34)", severe, undecided, weighted)
	}
	if len(led.Decisions) != 1 || led.Decisions[0].Count != 1 || led.Decisions[0].UserID != r[0] {
		t.Errorf("decision buckets: %+v", led.Decisions)
	}
	if !led.Decisions[0].Hour.Equal(c.Now().Truncate(time.Hour)) {
		t.Errorf("decision hour %v, want %v", led.Decisions[0].Hour, c.Now().Truncate(time.Hour))
	}
	mine, _ := db.FindLedger(ctx, r[1], c.Now().Add(-time.Hour))
	if len(mine.Exposures) != 1 || len(mine.Decisions) != 0 {
		t.Errorf("one person's ledger: %+v", mine)
	}
}

func TestCheckInsStayPrivateUnlessShared(t *testing.T) {
	eachEngine(t, testCheckInsStayPrivateUnlessShared)
}

func testCheckInsStayPrivateUnlessShared(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	db.AddCheckIn(ctx, review.CheckIn{UserID: r[0], Mood: 2, Note: "a hard morning", CreatedAt: c.Now()})
	db.AddCheckIn(ctx, review.CheckIn{UserID: r[0], Mood: 4, Shared: true, CreatedAt: c.Now()})
	db.AddCheckIn(ctx, review.CheckIn{UserID: r[0], CreatedAt: c.Now()}) // everything skipped
	all, _ := db.FindCheckIns(ctx, r[0], c.Now().Add(-time.Hour), false)
	shared, _ := db.FindCheckIns(ctx, 0, c.Now().Add(-time.Hour), true)
	if len(all) != 3 || len(shared) != 1 || shared[0].Mood != 4 {
		t.Errorf("own check-ins %d (want 3), shared %+v", len(all), shared)
	}
	if all[2].Mood != 2 || all[2].Note != "a hard morning" || all[0].Mood != 0 {
		t.Errorf("check-ins read back as %+v", all)
	}
}

func TestLimitsAndSettings(t *testing.T) { eachEngine(t, testLimitsAndSettings) }

func testLimitsAndSettings(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	ev := review.AuditEvent{Actor: "wb@example.org", Action: review.ActionLimitsChanged}
	db.SetLimits(ctx, review.ScopeOrg, 0, review.Limits{review.LimitDailyBudget: 1200}, ev)
	db.SetLimits(ctx, review.ScopeQueue, 5, review.Limits{review.LimitRevealPerItem: 20}, ev)
	db.SetLimits(ctx, review.ScopePerson, r[0], review.Limits{review.LimitDailyBudget: 600}, ev)
	org, queue, person, err := db.FindLimits(ctx, 5, r[0])
	if err != nil || org[review.LimitDailyBudget] != 1200 || queue[review.LimitRevealPerItem] != 20 || person[review.LimitDailyBudget] != 600 {
		t.Fatalf("limits: %v %v %v %v", org, queue, person, err)
	}
	if _, q, _, _ := db.FindLimits(ctx, 6, r[0]); len(q) != 0 {
		t.Errorf("queue 6 got queue 5's override: %v", q)
	}
	db.SetLimits(ctx, review.ScopePerson, r[0], review.Limits{}, ev)
	if over, _ := db.FindOverrides(ctx, review.ScopePerson); len(over) != 0 {
		t.Errorf("an empty override was kept: %v", over)
	}
	if err := db.SaveSettings(ctx, map[string]string{review.SettingTimezone: "Europe/Dublin"}, review.AuditEvent{Action: review.ActionSettingsSaved}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Setting(ctx, review.SettingTimezone); v != "Europe/Dublin" {
		t.Errorf("timezone setting = %q", v)
	}
	entries, _ := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionLimitsChanged})
	if len(entries) != 4 {
		t.Errorf("%d audited limit changes, want 4", len(entries))
	}
}

// FindStanding returns in one read what FindLimits, FindActivity and the
// time zone setting return one by one.
func TestStandingIsTheThreeReadsInOne(t *testing.T) { eachEngine(t, testStandingIsTheThreeReadsInOne) }

func testStandingIsTheThreeReadsInOne(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 2)
	q := seedItems(t, db, 1, review.NewQueue("q"))
	since := c.Now().Add(-time.Hour)
	all := review.StandingQuery{QueueID: q.ID, UserID: r[0], Since: since, Listed: since, DayStart: since}
	f, err := db.FindStanding(ctx, all)
	if err != nil || f.Zone != "" || len(f.Limits.Org)+len(f.Limits.Queue)+len(f.Limits.Person) != 0 || len(f.Activity.Exposures) != 0 {
		t.Fatalf("nothing stored: %+v, %v", f, err)
	}
	ev := review.AuditEvent{Actor: "wb@example.org", Action: review.ActionLimitsChanged}
	db.SetLimits(ctx, review.ScopeOrg, 0, review.Limits{review.LimitDailyBudget: 1200}, ev)
	db.SetLimits(ctx, review.ScopeQueue, q.ID, review.Limits{review.LimitRevealPerItem: 20}, ev)
	db.SetLimits(ctx, review.ScopePerson, r[0], review.Limits{review.LimitBreak: 5}, ev)
	db.SetLimits(ctx, review.ScopePerson, r[1], review.Limits{review.LimitBreak: 9}, ev)
	db.SaveSettings(ctx, map[string]string{review.SettingTimezone: "Europe/Dublin"}, review.AuditEvent{Action: review.ActionSettingsSaved})
	id, _ := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', ?, 0, 'image/png', 1, 10, 10, '', '')`, id)
	e := review.Exposure{ReviewerID: r[0], ItemID: id, MediaID: "m1", Rendition: "colour", RegionFraction: 1, StartedAt: c.Now(), CapAt: c.Now().Add(10 * time.Second)}
	if _, err := db.CreateReveal(ctx, e, "grant-1", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	db.StartBreak(ctx, review.Break{UserID: r[0], Reason: review.BreakStepAway, StartedAt: c.Now(), EndsAt: c.Now().Add(time.Minute)}, review.AuditEvent{Action: "test"})

	f, err = db.FindStanding(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	org, queue, person, _ := db.FindLimits(ctx, q.ID, r[0])
	a, _ := db.FindActivity(ctx, r[0], since)
	if !reflect.DeepEqual(f.Limits, review.LimitSet{Org: org, Queue: queue, Person: person}) || f.Limits.Person[review.LimitBreak] != 5 {
		t.Errorf("limits: %+v, separately %v %v %v", f.Limits, org, queue, person)
	}
	if f.Zone != "Europe/Dublin" {
		t.Errorf("zone %q", f.Zone)
	}
	f.Activity.Summed = nil
	if !reflect.DeepEqual(f.Activity, a) || len(a.Exposures) != 1 || len(a.Breaks) != 1 {
		t.Errorf("activity: %+v, separately %+v", f.Activity, a)
	}
}
