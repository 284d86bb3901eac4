package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// A standing sums the day's closed exposures and lists only recent work.
// On randomised days (reveals open and closed of every rendition, severe
// and other decisions, breaks taken and cut short, limits and time zones
// of every kind) it is the standing worked out from every row of the day,
// as it was before: budget used, severe count, working time, the break
// that applies, warnings and a reveal's allowance on an item.
func TestStandingSummedAgreesWithEveryRow(t *testing.T) {
	eachEngine(t, testStandingSummedAgreesWithEveryRow)
}

func testStandingSummedAgreesWithEveryRow(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	q := seedItems(t, db, 4, review.NewQueue("q"))
	items := activityItems(t, db)
	people := reviewers(t, db, 24)
	zones := []string{"", "Europe/Dublin", "Asia/Kolkata", "America/New_York"}
	for n, user := range people {
		rng := rand.New(rand.NewPCG(uint64(n), 16))
		now := c.Now().Add(time.Duration(rng.IntN(48)) * time.Hour)
		l := randomLimits(rng)
		ev := review.AuditEvent{Action: review.ActionLimitsChanged}
		if err := db.SetLimits(ctx, review.ScopePerson, user, l, ev); err != nil {
			t.Fatal(err)
		}
		zone := zones[rng.IntN(len(zones))]
		if err := db.SaveSettings(ctx, map[string]string{review.SettingTimezone: zone}, ev); err != nil {
			t.Fatal(err)
		}
		writeRandomDay(t, db, rng, user, items, now, time.Duration(l[review.LimitBreak])*time.Minute)

		item := items[rng.IntN(len(items))]
		weight := review.Weight(review.StepColour, 1)
		org, queue, person, _ := db.FindLimits(ctx, q.ID, user)
		every, err := db.FindActivity(ctx, user, now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation(zone)
		want := review.Assess(review.LimitSet{Org: org, Queue: queue, Person: person}.Effective(), every, now, review.DayEnd(now, loc))
		wantAllow, wantErr := want.RevealAllowance(every, item.id, weight)

		w := &review.Wellbeing{Store: db, Now: func() time.Time { return now }}
		got, summed, err := w.Standing(ctx, user, q.ID, item.id)
		if err != nil {
			t.Fatal(err)
		}
		allow, err := got.RevealAllowance(summed, item.id, weight)
		day := fmt.Sprintf("day %d (%d exposures, %d decisions, %d breaks; zone %q; limits %v)", n, len(every.Exposures), len(every.Decisions), len(every.Breaks), zone, l)
		if math.Abs(got.Used-want.Used) > 1e-6 || got.Severe != want.Severe || got.Working != want.Working {
			t.Errorf("%s: used %.3f, severe %d, working %v; every row gives %.3f, %d, %v", day, got.Used, got.Severe, got.Working, want.Used, want.Severe, want.Working)
		}
		if !sameBreak(got.Break, want.Break) || !reflect.DeepEqual(got.Warnings, want.Warnings) {
			t.Errorf("%s: break %+v, warnings %q; every row gives %+v, %q", day, got.Break, got.Warnings, want.Break, want.Warnings)
		}
		if allow != wantAllow || (err == nil) != (wantErr == nil) {
			t.Errorf("%s: reveal allowance %v (%v); every row gives %v (%v)", day, allow, err, wantAllow, wantErr)
		}
	}
}

// TestStandingListsOnlyRecentWork: a reviewer who revealed all morning and
// rested since has the morning summed; a claim's standing lists only what
// the last two hours need, and still counts the morning against the
// budget.
func TestStandingListsOnlyRecentWork(t *testing.T) { eachEngine(t, testStandingListsOnlyRecentWork) }

func testStandingListsOnlyRecentWork(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	q := seedItems(t, db, 1, review.NewQueue("q"))
	items := activityItems(t, db)
	user := reviewers(t, db, 1)[0]
	now := c.Now().Add(14 * time.Hour) // 23:00 UTC
	for i := range 300 {
		start := now.Add(-12*time.Hour + time.Duration(i)*time.Minute)
		writeExposure(t, db, user, items[0], review.StepGrey, 1, start, 10*time.Second, start.Add(10*time.Second), 10)
		writeDecision(t, db, user, items[0], start.Add(30*time.Second), time.Minute, false)
	}
	writeExposure(t, db, user, items[0], review.StepColour, 1, now.Add(-time.Minute), 10*time.Second, now.Add(-time.Minute+10*time.Second), 10)
	w := &review.Wellbeing{Store: db, Now: func() time.Time { return now }}
	s, a, err := w.Standing(ctx, user, q.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Exposures) != 1 || len(a.Decisions) != 0 {
		t.Errorf("listed %d exposures and %d decisions, want only the last minute's reveal", len(a.Exposures), len(a.Decisions))
	}
	if s.Used != 300*10+2*10 {
		t.Errorf("used %.1f weighted seconds, want the morning's 3,000 and the last reveal's 20", s.Used)
	}
	if s.Working != time.Minute {
		t.Errorf("working %v, want 1m since the rest", s.Working)
	}
}

// sameBreak compares breaks whatever the time zone their times are in.
func sameBreak(a, b review.Break) bool {
	return a.ID == b.ID && a.Reason == b.Reason && a.StartedAt.Equal(b.StartedAt) && a.EndsAt.Equal(b.EndsAt) && a.EndedAt.Equal(b.EndedAt)
}

// activityItem is an item with its one media file, for exposures.
type activityItem struct {
	id    int64
	media string
}

// activityItems gives every seeded item a media file to reveal.
func activityItems(t *testing.T, db *DB) []activityItem {
	t.Helper()
	var out []activityItem
	rows, err := db.r.Query(`SELECT id FROM items ORDER BY id`)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var it activityItem
		it.media = fmt.Sprintf("m%d", len(out))
		out = append(out, it)
		return rows.Scan(&out[len(out)-1].id)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out {
		if _, err := db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES (?, ?, 0, 'image/png', 1, 10, 10, '', '')`, it.media, it.id); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// randomLimits are limits of every kind, each on or off.
func randomLimits(rng *rand.Rand) review.Limits {
	pick := func(vals ...int) int { return vals[rng.IntN(len(vals))] }
	return review.Limits{
		review.LimitDailyBudget:   pick(0, 300, 1200, 3600),
		review.LimitSeverePerHour: pick(0, 3, 8),
		review.LimitCooldown:      pick(0, 2),
		review.LimitContinuous:    pick(0, 30, 90, 150, 720),
		review.LimitBreak:         pick(5, 15, 60, 240),
		review.LimitWarnPercent:   pick(50, 80),
		review.LimitRevealPerItem: pick(0, 30, 600),
	}
}

// writeRandomDay writes a reviewer's last 26 hours up to now: stretches of
// work with short gaps, idle gaps, breaks taken and cut short, reveals of
// every rendition (the last ones still open) and decisions.
func writeRandomDay(t *testing.T, db *DB, rng *rand.Rand, user int64, items []activityItem, now time.Time, rest time.Duration) {
	t.Helper()
	renditions := []string{review.StepGrey, review.StepColour, review.StepSpotlight, "exif"}
	secs := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Second }
	for at := now.Add(-26 * time.Hour); at.Before(now); {
		it := items[rng.IntN(len(items))]
		switch r := rng.IntN(100); {
		case r < 3: // a break, taken or cut short
			b := review.Break{UserID: user, Reason: review.BreakStepAway, StartedAt: at, EndsAt: at.Add(rest)}
			if rng.IntN(2) == 0 {
				b.EndedAt = at.Add(rest / 3)
			}
			if _, err := db.w.Exec(`INSERT INTO breaks (user_id, reason, started_at, ends_at, ended_at) VALUES (?, ?, ?, ?, ?)`,
				user, b.Reason, fmtTime(b.StartedAt), fmtTime(b.EndsAt), fmtTime(b.EndedAt)); err != nil {
				t.Fatal(err)
			}
			at = b.End().Add(secs(1, 120))
		case r < 10: // idle
			at = at.Add(secs(60, 3*3600))
		case r < 55:
			took := secs(5, 900)
			if at.Add(took).Before(now) {
				writeDecision(t, db, user, it, at.Add(took), took, rng.IntN(3) == 0)
			}
			at = at.Add(took / time.Duration(1+rng.IntN(3)))
		default:
			rendition := renditions[rng.IntN(len(renditions))]
			length := secs(1, int(review.MaxReblur/time.Second))
			seconds := min(length, secs(0, 150))
			end := at.Add(seconds)
			if end.After(now) || rng.IntN(40) == 0 {
				end, seconds = time.Time{}, 0 // still open, or never reported back
			}
			writeExposure(t, db, user, it, rendition, 0.05+rng.Float64()*0.9, at, length, end, seconds.Seconds())
			at = at.Add(secs(1, 200))
		}
	}
}

// writeExposure records a reveal of length at most, closed at end (zero:
// still open) after seconds.
func writeExposure(t *testing.T, db *DB, user int64, it activityItem, rendition string, fraction float64, start time.Time, length time.Duration, end time.Time, seconds float64) {
	t.Helper()
	if rendition != review.StepSpotlight {
		fraction = 1
	}
	_, err := db.w.Exec(`INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, region_fraction, started_at, cap_at, ended_at, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		user, it.id, it.media, rendition, fraction, fmtTime(start), fmtTime(start.Add(length)), fmtTime(end), seconds)
	if err != nil {
		t.Fatal(err)
	}
}

// writeDecision records a decision made at at, took after the claim.
func writeDecision(t *testing.T, db *DB, user int64, it activityItem, at time.Time, took time.Duration, severe bool) {
	t.Helper()
	sev := 0
	if severe {
		sev = 1
	}
	_, err := db.w.Exec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, seconds, severe, created_at) VALUES (?, ?, 'first', 'violating', ?, ?, ?)`,
		it.id, user, int(took.Seconds()), sev, fmtTime(at))
	if err != nil {
		t.Fatal(err)
	}
}
