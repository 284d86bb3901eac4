package main

import (
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/storagetest"
)

// receiver is a platform's callback endpoint: it counts deliveries per
// item (one decision per item here) and when each arrived.
type receiver struct {
	mu    sync.Mutex
	count map[int64]int
	at    map[int64]time.Time
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var ev struct {
		ItemID int64 `json:"item_id"`
	}
	b, _ := io.ReadAll(req.Body)
	if json.Unmarshal(b, &ev) != nil || ev.ItemID == 0 {
		http.Error(w, "bad callback", 400)
		return
	}
	r.mu.Lock()
	r.count[ev.ItemID]++
	r.at[ev.ItemID] = time.Now()
	r.mu.Unlock()
}

func (r *receiver) deliveries(item int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[item]
}

// TestKillingAnInstanceLosesNothing runs two `loupe serve` processes on
// one PostgreSQL database and data directory. While one client ingests and
// a reviewer decides, alternating between them as a load balancer would,
// instance A, which holds the singleton work, is killed with SIGKILL.
// Every item acknowledged with 201 and every decision acknowledged with
// its redirect is in the database, the audit chain verifies, instance B
// takes over the callbacks (it delivers those of the decisions made after
// the kill) and no callback reaches the platform twice.
func TestKillingAnInstanceLosesNothing(t *testing.T) {
	database := storagetest.PostgresDatabase(t)
	dir := t.TempDir()
	ctx := context.Background()
	platform := &receiver{count: map[int64]int{}, at: map[int64]time.Time{}}
	fake := httptest.NewServer(platform)
	defer fake.Close()

	loc := location{Data: dir, Database: database}
	a, err := openApp(ctx, loc, env{getenv: os.Getenv, stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := review.NewToken(ctx, a.db, crand.Reader, "test", "kill", "photos", review.ScopeIngest)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.FindSourceByName(ctx, "photos")
	sealed, err := a.vault.Seal("callback-secret:"+strconv.FormatInt(src.ID, 10), []byte("callback secret")) // web.callbackSecretName
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetCallback(ctx, src.ID, fake.URL+"/loupe", sealed, review.AuditEvent{Actor: "test", Action: review.ActionCallbackSet}); err != nil {
		t.Fatal(err)
	}
	queue, _ := a.db.FindQueueByName(ctx, "default")
	people, err := benchReviewers(ctx, a, queue.ID, 1)
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	images := make([][]byte, 4)
	for i := range images {
		images[i] = encodeJPEG(synthImage(i, 160, 120, rng), 80)
	}

	flags := []string{"--database", database, "--allow-insecure-outbound"}
	instA := startChild(t, dir, flags...) // first: it takes the singleton work
	instB := startChild(t, dir, flags...)
	defer instB.cmd.Process.Kill()
	bases := []string{instA.base, instB.base}
	var (
		mu               sync.Mutex
		dead             bool // A was killed: the balancer sends everything to B
		killedAt         time.Time
		acked            []string
		decided          = map[int64]time.Time{}
		ingested, failed int
	)
	pick := func(n int) string {
		mu.Lock()
		defer mu.Unlock()
		if dead {
			return instB.base
		}
		return bases[n%2]
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // the platform ingests
		defer wg.Done()
		client := &http.Client{Timeout: 10 * time.Second}
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("k-%d", n)
			k, ok := postItem(client, pick(n), token, id, "", images[n%len(images)])
			mu.Lock()
			if ok {
				acked, ingested = append(acked, k.externalID), ingested+1
			}
			mu.Unlock()
		}
	}()
	go func() { // a reviewer decides, signed in once on A
		defer wg.Done()
		rev, err := signInOverHTTP(instA.base, people[0])
		if err != nil {
			t.Error(err)
			return
		}
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			rev.base = pick(n)
			item, err := rev.decideOne(queue.ID)
			mu.Lock()
			if err == nil {
				decided[item] = time.Now()
			} else if err != errQueueEmpty {
				failed++
			}
			mu.Unlock()
			if err == errQueueEmpty {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	time.Sleep(3 * time.Second)
	mu.Lock()
	dead, killedAt = true, time.Now()
	mu.Unlock()
	instA.cmd.Process.Signal(syscall.SIGKILL)
	instA.cmd.Wait()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	mu.Lock()
	var after []int64 // decisions acknowledged after the kill: B settles and sends them
	for item, at := range decided {
		if at.After(killedAt) {
			after = append(after, item)
		}
	}
	mu.Unlock()
	if ingested < 10 || len(after) < 3 {
		t.Fatalf("%d items ingested, %d decisions after the kill: the test proves little", ingested, len(after))
	}
	deadline := time.Now().Add(review.UndoWindow + 2*leaseCheck + 10*time.Second)
	for _, item := range after {
		for platform.deliveries(item) == 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if platform.deliveries(item) == 0 {
			t.Errorf("the callback of item %d, decided on B after A died, never arrived", item)
		}
	}
	instB.cmd.Process.Signal(syscall.SIGTERM)
	instB.cmd.Wait()

	a, err = openApp(ctx, loc, env{getenv: os.Getenv, stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, id := range acked {
		if _, err := a.db.FindItemByExternalID(ctx, src.ID, id); err != nil {
			t.Errorf("acknowledged item %s is missing: %v", id, err)
		}
	}
	for item := range decided {
		var n int
		if err := a.db.Raw().QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions WHERE item_id = ?`, item).Scan(&n); err != nil || n != 1 {
			t.Errorf("item %d: %d decisions (%v), want the acknowledged one", item, n, err)
		}
	}
	platform.mu.Lock()
	for item, n := range platform.count {
		if n > 1 {
			t.Errorf("the callback of item %d arrived %d times", item, n)
		}
	}
	sent := len(platform.count)
	platform.mu.Unlock()
	if _, err := a.db.VerifyAudit(ctx, review.ChainHead{}); err != nil {
		t.Errorf("audit chain after the kill: %v", err)
	}
	t.Logf("%d items acknowledged, %d decisions (%d after the kill), %d failed decide iterations, %d callbacks delivered once each", len(acked), len(decided), len(after), failed, sent)
}

// decideOne claims an item and decides it without looking: it returns the
// item once the decision's redirect came back.
func (c *benchReviewer) decideOne(queueID int64) (int64, error) {
	loc, err := c.post(fmt.Sprintf("/queues/%d/claim", queueID), url.Values{})
	switch {
	case err == nil && strings.Contains(loc, "done=empty"):
		return 0, errQueueEmpty
	case err != nil || !strings.HasPrefix(loc, "/review/"):
		return 0, fmt.Errorf("claim: %q %v", loc, err)
	}
	item, err := strconv.ParseInt(strings.TrimPrefix(loc, "/review/"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("claim: %q", loc)
	}
	if _, err := c.post(loc+"/decide", url.Values{"verdict": {"not_violating"}}); err != nil {
		return 0, err
	}
	return item, nil
}
