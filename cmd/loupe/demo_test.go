package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestDemoSeedsAccountsAndItems(t *testing.T) {
	ctx := context.Background()
	e := env{getenv: func(string) string { return "" }}
	a, err := openApp(ctx, t.TempDir(), "", e)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	accounts, err := seedDemo(ctx, a)
	if err != nil || len(accounts) != len(review.AllRoles) {
		t.Fatalf("%d accounts, %v", len(accounts), err)
	}
	for _, acct := range accounts {
		u, _ := a.db.FindUserByEmail(ctx, acct.Email)
		if !u.Enrolled() || acct.TOTPSecret == "" || len(acct.Password) < 12 {
			t.Errorf("%s is not ready to sign in: %+v", acct.Email, acct)
		}
	}
	start := time.Now()
	if err := seedDemoActivity(ctx, a, time.Now()); err != nil {
		t.Fatal(err)
	}
	t.Logf("three weeks of activity seeded in %v", time.Since(start))
	checkDemoActivity(t, a, time.Now())
	if err := seedDemoItems(ctx, a, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.FindSourceByName(ctx, "demo-platform")
	queues := map[string]int{}
	for n := 1; n <= demoItemCount; n++ {
		it, err := a.db.FindItemByExternalID(ctx, src.ID, "demo-"+strconv.Itoa(n))
		if err != nil {
			t.Fatalf("demo item %d: %v", n, err)
		}
		queues[it.Queue]++
	}
	if queues["urgent"] == 0 || queues["default"] == 0 {
		t.Errorf("demo items by queue: %v; want some in each", queues)
	}
	def, _ := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if st, _ := a.db.FindQueueStats(ctx, def, time.Now()); st.DecisionsLastHour < 6 {
		t.Errorf("demo history: %d decisions in the default queue", st.DecisionsLastHour)
	}
	if members, _ := a.db.FindMembers(ctx, def.ID); len(members) != 4 {
		t.Errorf("demo queue has %d reviewers", len(members))
	}
	cases, _ := a.db.FindCases(ctx, review.CaseOpen)
	if len(cases) == 0 || len(cases) > 4 || cases[0].Destination != review.DestinationBundle {
		t.Fatalf("the demo's report cases: %+v; want a few export bundles from today's decisions", cases)
	}
	var out, errOut strings.Builder
	args := []string{"report", "show", "--data", a.dir, strconv.FormatInt(cases[0].ID, 10), "--xml"}
	if code := run(ctx, args, strings.NewReader(""), &out, &errOut); code != 0 || !strings.Contains(out.String(), "<report>") || !strings.Contains(out.String(), "<espService>Demo Platform</espService>") {
		t.Errorf("report show --xml: exit %d, %s %s", code, out.String(), errOut.String())
	}
	if code := run(ctx, []string{"report", "show", "--data", a.dir, "nine"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("report show with a bad id: exit %d, want 2", code)
	}
	if _, err := seedDemo(ctx, a); err == nil {
		t.Error("seeding a data directory that has people in it succeeded")
	}
}

// checkDemoActivity: the wellbeing pages have weeks of figures, breaks,
// check-ins and alerts to show at first start.
func checkDemoActivity(t *testing.T, a *app, now time.Time) {
	t.Helper()
	ctx := context.Background()
	led, err := a.db.FindLedger(ctx, 0, now.AddDate(0, 0, -31))
	if err != nil {
		t.Fatal(err)
	}
	checkins, _ := a.db.FindCheckIns(ctx, 0, now.AddDate(0, 0, -31), true)
	if len(checkins) == 0 {
		t.Error("no shared check-ins in the demo")
	}
	alerts := map[string][]string{}
	for _, d := range demoReviewers {
		u, _ := a.db.FindUserByEmail(ctx, d.email)
		_, _, over, _ := a.db.FindLimits(ctx, 0, u.ID)
		p := review.BuildPerson(u, review.DefaultLimits.Merge(over), led, 30, now, time.UTC)
		worked, due := 0, 0
		for _, day := range p.Days {
			if day.Total() > 0 {
				worked++
			}
			due += day.BreaksDue
		}
		if worked < 10 || p.Sum(30).Decided < 50 {
			t.Errorf("%s: %d days worked, %d decided", d.email, worked, p.Sum(30).Decided)
		}
		if d.budget > 0 && due == 0 {
			t.Errorf("%s never reached a limit", d.email)
		}
		alerts[d.email] = p.Alerts
	}
	if len(alerts["kit@demo.example"]) == 0 || len(alerts["sam@demo.example"]) == 0 {
		t.Errorf("demo alerts: %q", alerts)
	}
}
