package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestDemoSeedsAccountsAndItems(t *testing.T) {
	ctx := context.Background()
	e := env{getenv: func(string) string { return "" }}
	a, err := openApp(ctx, t.TempDir(), e)
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
	if members, _ := a.db.FindMembers(ctx, def.ID); len(members) != 2 {
		t.Errorf("demo queue has %d reviewers", len(members))
	}
	if _, err := seedDemo(ctx, a); err == nil {
		t.Error("seeding a data directory that has people in it succeeded")
	}
}
