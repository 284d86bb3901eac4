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
	a, err := openApp(ctx, location{Data: t.TempDir()}, e)
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
	if len(cases) == 0 || len(cases) > 4+demoReposts || cases[0].Destination != review.DestinationBundle {
		t.Fatalf("the demo's report cases: %+v; want a few export bundles from today's decisions and the automated ones", cases)
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
	alerts := map[string][]review.Alert{}
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
		t.Errorf("demo alerts: %+v", alerts)
	}
}

// The demo seeds a block list whose entries match demo items (by MD5 and
// by PDQ), an allow list, and the support resources reviewers are shown.
func TestDemoSeedsHashListsAndSupport(t *testing.T) {
	ctx := context.Background()
	a := seededDemo(t)
	block, err := a.db.FindHashListByName(ctx, "demo-known")
	if err != nil || block.Kind != "block" || block.Active != len(demoBlocked) {
		t.Fatalf("block list: %+v, %v", block, err)
	}
	if allow, err := a.db.FindHashListByName(ctx, "demo-harmless"); err != nil || allow.Kind != "allow" || allow.Active != 1 {
		t.Errorf("allow list: %+v, %v", allow, err)
	}
	src, _ := a.db.FindSourceByName(ctx, "demo-platform")
	for _, b := range demoBlocked {
		it, err := a.db.FindItemByExternalID(ctx, src.ID, "demo-"+strconv.Itoa(b.item))
		if err != nil {
			t.Fatal(err)
		}
		matches, _ := a.db.FindMatches(ctx, it.ID)
		found := false
		for _, m := range matches {
			found = found || (m.ListID == block.ID && m.HashType == string(b.kind))
		}
		if !found {
			t.Errorf("demo item %d has no %s match on the block list: %+v", b.item, b.kind, matches)
		}
	}
	text, _ := a.db.Setting(ctx, review.SettingSupport)
	if links, err := review.ParseSupport(text); err != nil || len(links) < 2 {
		t.Errorf("support resources: %v, %v", links, err)
	}
}

// The demo shows seeing it once at first start: its near-duplicate
// families wait as clusters in the default queue, and the re-posts of a
// block-listed picture were decided without a look.
func TestDemoShowsClustersAndKnownMaterial(t *testing.T) {
	ctx := context.Background()
	a := seededDemo(t)
	def, _ := a.db.FindQueueByName(ctx, review.DefaultQueue)
	st, err := a.db.FindClusterStats(ctx, def)
	if err != nil || len(st.Clusters) < len(demoFamilies) {
		t.Fatalf("clusters waiting in the default queue: %+v, %v; want one per demo family (%d)", st.Clusters, err, len(demoFamilies))
	}
	src, _ := a.db.FindSourceByName(ctx, "demo-platform")
	automated := 0
	for i := range demoReposts {
		it, err := a.db.FindItemByExternalID(ctx, src.ID, "demo-copy-"+strconv.Itoa(countFamilyItems()+i+1))
		if err != nil {
			t.Fatal(err)
		}
		ds, _ := a.db.FindDecisions(ctx, it.ID)
		if len(ds) == 1 && ds[0].Source() == review.SourceAutomated && ds[0].Verdict == review.Violating {
			automated++
		}
	}
	if automated != demoReposts {
		t.Errorf("%d of the %d re-posts of a listed picture were decided without a look", automated, demoReposts)
	}
}

func countFamilyItems() int {
	n := 0
	for _, f := range demoFamilies {
		n += len(f)
	}
	return n
}

// seededDemo is an app with the demo's accounts and items (without the
// weeks of activity), closed when the test ends.
func seededDemo(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	a, err := openApp(ctx, location{Data: t.TempDir()}, env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := seedDemo(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := seedDemoItems(ctx, a, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return a
}
