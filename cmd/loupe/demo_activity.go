package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"time"

	"github.com/loupe-review/loupe/review"
)

// demoDays is how much past reviewing the demo plays out for the
// wellbeing pages.
const demoDays = 21

// demoReviewer is one simulated reviewer's habits.
type demoReviewer struct {
	email   string
	items   int     // items a working day, about
	severe  float64 // share of violating (severe) verdicts
	colour  float64 // share of items also revealed in colour
	budget  int     // a personal daily budget override (0: the default)
	stepOff bool    // cuts step-away breaks short
}

var demoReviewers = []demoReviewer{
	{email: "reviewer@demo.example", items: 8, severe: 0.2, colour: 0.4, stepOff: true},
	{email: "sam@demo.example", items: 6, severe: 0.15, colour: 0.3},
	{email: "kit@demo.example", items: 20, severe: 0.25, colour: 0.6, budget: 180},
}

var demoNotes = []string{"", "", "fine", "needed that", "heavy queue this morning", "ok after a walk"}

// seedDemoActivity plays three weeks of weekday reviewing by three
// reviewers through the review code, with the clock set in the past, so
// that the wellbeing dashboard and the reviewers' own pages show real
// figures at first start: reveals, decisions, breaks the limits enforced,
// step-away breaks and check-ins. The items are small synthetic images.
func seedDemoActivity(ctx context.Context, a *app, now time.Time) error {
	t := now.AddDate(0, 0, -demoDays)
	clock := func() time.Time { return t }
	realNow := a.db.Now
	a.db.Now = clock // items, audit entries and decisions carry the simulated time
	defer func() { a.db.Now = realNow }()
	wb := &review.Wellbeing{Store: a.db, Now: clock}
	rv := *a.reviews
	rv.Now, rv.Wellbeing = clock, wb

	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return err
	}
	// The past is not reported again: no report cases from the history.
	ev := review.AuditEvent{Actor: "demo", Action: review.ActionQueueUpdated, Target: "queue:" + q.Name}
	if q.Reportable {
		q.Reportable = false
		if err := a.db.UpdateQueue(ctx, q, ev); err != nil {
			return err
		}
		defer func() { q.Reportable = true; a.db.UpdateQueue(ctx, q, ev) }()
	}
	people := make([]review.User, len(demoReviewers))
	for i, d := range demoReviewers {
		if people[i], err = demoPerson(ctx, a, d, q.ID); err != nil {
			return err
		}
	}
	src, err := a.db.EnsureSource(ctx, "demo-history")
	if err != nil {
		return err
	}
	caller := review.APIToken{Name: "demo", SourceID: src.ID, Source: src.Name}
	rng := rand.New(rand.NewPCG(7, 11))
	weekend := func(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }
	last := 1 // the last working day played
	for weekend(now.AddDate(0, 0, -last)) {
		last++
	}
	serial := 0
	for day := demoDays; day >= last; day-- {
		date := now.AddDate(0, 0, -day)
		if weekend(date) {
			continue
		}
		for i, d := range demoReviewers {
			t = time.Date(date.Year(), date.Month(), date.Day(), 8+i, rng.IntN(50), 0, 0, time.UTC)
			if i == 1 && day == last {
				d.items, d.severe, d.colour = 14, 0.9, 0.9 // a hard last day: the dashboard flags the spike
			}
			n := d.items + rng.IntN(5) - 2
			for range n {
				serial++
				if err := demoIngest(ctx, a, caller, serial, rng); err != nil {
					return err
				}
			}
			if err := demoWorkday(ctx, a, &rv, wb, people[i], d, q.ID, n, rng, &t); err != nil {
				return fmt.Errorf("demo activity of %s: %w", d.email, err)
			}
		}
	}
	return nil
}

// demoPerson finds or adds a demo reviewer, assigns them to the queue and
// sets their personal budget.
func demoPerson(ctx context.Context, a *app, d demoReviewer, queueID int64) (review.User, error) {
	u, err := a.db.FindUserByEmail(ctx, d.email)
	if errors.Is(err, review.ErrNotFound) {
		u, _, err = a.accounts.CreateUser(ctx, "demo", d.email, review.NewRoles(review.RoleReviewer), "")
	}
	if err != nil {
		return u, err
	}
	ev := review.AuditEvent{Actor: "demo", Action: review.ActionQueueMember, Details: map[string]string{"user": u.Email}}
	if err := a.db.SetMember(ctx, queueID, u.ID, true, ev); err != nil {
		return u, err
	}
	if d.budget > 0 {
		l := review.Limits{review.LimitDailyBudget: d.budget}
		return u, a.db.SetLimits(ctx, review.ScopePerson, u.ID, l, review.AuditEvent{Actor: "demo", Action: review.ActionLimitsChanged, Target: "user:" + u.Email})
	}
	return u, nil
}

// demoIngest ingests one small synthetic past item for the history.
func demoIngest(ctx context.Context, a *app, caller review.APIToken, n int, rng *rand.Rand) error {
	public, last := false, 0 // lowest priority: today's demo items come first
	meta, err := json.Marshal(review.Metadata{ExternalID: fmt.Sprintf("history-%d", n), Context: &review.Context{Surface: "feed", Public: &public}, Priority: &last,
		Classifier: &review.Classifier{Name: "demo-classifier", Version: "1.0", Scores: map[string]float64{"csam": float64(rng.IntN(60)) / 100}}})
	if err != nil {
		return err
	}
	uploads := []review.Upload{{Name: "history.jpg", Bytes: encodeJPEG(synthImage(n, 96, 96, rng), 80)}}
	_, _, err = a.ingester.Ingest(ctx, caller, meta, uploads)
	return err
}

// demoWorkday is one reviewer's day: claim, reveal, decide, with the
// breaks the limits enforce, the odd step away and a check-in after it.
func demoWorkday(ctx context.Context, a *app, rv *review.Reviewing, wb *review.Wellbeing, u review.User, d demoReviewer, queueID int64, n int, rng *rand.Rand, t *time.Time) error {
	wait := func(secs int) { *t = t.Add(time.Duration(secs) * time.Second) }
	for done := 0; done < n; {
		id, err := rv.Claim(ctx, u, queueID)
		var brk *review.BreakError
		switch {
		case errors.As(err, &brk) && brk.Break.Reason == review.BreakBudget:
			return nil // the budget is spent: the day ends
		case errors.As(err, &brk):
			*t = brk.Break.End().Add(time.Minute)
			continue
		case errors.Is(err, review.ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		if err := demoLook(ctx, a, rv, u, id, d, rng, t); err != nil {
			if errors.As(err, &brk) {
				continue // the reveal was refused for a break; the item went back
			}
			return err
		}
		wait(5 + rng.IntN(20))
		verdict := review.Decision{Verdict: review.NotViolating}
		if rng.Float64() < d.severe {
			verdict = review.Decision{Verdict: review.Violating, Category: []string{"A1", "A2", "B1", "B2"}[rng.IntN(4)]}
		}
		if _, _, err := rv.Decide(ctx, u, id, verdict); err != nil {
			return err
		}
		done++
		wait(30 + rng.IntN(120))
		if rng.IntN(12) == 0 {
			if err := demoStepAway(ctx, a, wb, u, d, rng, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoLook reveals an item's first image in grey, and sometimes colour.
func demoLook(ctx context.Context, a *app, rv *review.Reviewing, u review.User, id int64, d demoReviewer, rng *rand.Rand, t *time.Time) error {
	it, err := a.db.FindItemByID(ctx, id)
	if err != nil {
		return err
	}
	steps := []string{review.StepGrey}
	if rng.Float64() < d.colour {
		steps = append(steps, review.StepColour)
	}
	for _, step := range steps {
		*t = t.Add(time.Duration(5+rng.IntN(10)) * time.Second)
		r, err := rv.Reveal(ctx, a.db, u, it, it.Media[0].ID, step, image.Rectangle{})
		if err != nil {
			return err
		}
		*t = t.Add(time.Duration(2+rng.IntN(7)) * time.Second)
		if _, err := a.db.CloseExposure(ctx, r.Exposure.ID, u.ID, *t, "reblur"); err != nil {
			return err
		}
	}
	return nil
}

// demoStepAway takes a step-away break (some cut short) and checks in.
func demoStepAway(ctx context.Context, a *app, wb *review.Wellbeing, u review.User, d demoReviewer, rng *rand.Rand, t *time.Time) error {
	b, err := wb.StepAway(ctx, u)
	if err != nil {
		return err
	}
	if d.stepOff && rng.IntN(2) == 0 {
		*t = t.Add(3 * time.Minute)
		if b, err = wb.Resume(ctx, u); err != nil {
			return err
		}
	} else {
		*t = b.EndsAt.Add(time.Minute)
	}
	if rng.IntN(3) == 0 {
		return nil // no check-in: it is optional
	}
	c := review.CheckIn{UserID: u.ID, BreakID: b.ID, Mood: 2 + rng.IntN(4), Note: demoNotes[rng.IntN(len(demoNotes))], Shared: rng.IntN(2) == 0, CreatedAt: *t}
	_, err = a.db.AddCheckIn(ctx, c)
	return err
}
