package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestMain lets the test binary double as the loupe command, so the crash
// test can run a real server as a child process and kill it.
func TestMain(m *testing.M) {
	if args := os.Getenv("LOUPE_TEST_CHILD_ARGS"); args != "" {
		os.Exit(run(context.Background(), strings.Fields(args), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child is a loupe server running in its own process.
type child struct {
	cmd  *exec.Cmd
	base string
}

// startChild starts `loupe serve` on dir and a free loopback port, with
// extra flags, and waits until it is ready.
func startChild(t *testing.T, dir string, extra ...string) *child {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "LOUPE_TEST_CHILD_ARGS=serve --addr "+addr+" --data "+dir+" --min-free-mb 0 --log-level warn "+strings.Join(extra, " "))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, base: "http://" + addr}
	for range 200 {
		if res, err := http.Get(c.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server did not become ready: %s", stderr.String())
	return nil
}

// TestCrashLosesNothingAcknowledged kills the server with SIGKILL while
// clients ingest, restarts it, and checks that every acknowledged item is
// there and decrypts to what was acknowledged, and that no item is half
// written.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := openApp(ctx, location{Data: dir}, env{getenv: os.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := review.NewToken(ctx, a.db, crand.Reader, "test", "crash", "photos", review.ScopeIngest)
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	images := make([][]byte, 8)
	for i := range images {
		images[i] = encodeJPEG(synthImage(i, 320, 240, rng), 80)
	}
	var (
		mu    sync.Mutex
		acked []ack
		tried []string
	)
	for round := range 3 {
		srv := startChild(t, dir)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 10 * time.Second}
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("r%d-w%d-%d", round, w, n)
					mu.Lock()
					tried = append(tried, id)
					mu.Unlock()
					if k, ok := postItem(client, srv.base, token, id, "", images[(n+w)%len(images)]); ok {
						mu.Lock()
						acked = append(acked, k)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		srv.cmd.Process.Signal(syscall.SIGKILL)
		srv.cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if len(acked) < 10 {
		t.Fatalf("only %d items acknowledged; the test proves little", len(acked))
	}
	srv := startChild(t, dir) // a restart recovers (and clears unfinished files)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()

	a, err = openApp(ctx, location{Data: dir}, env{getenv: os.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src, _ := a.db.FindSourceByName(ctx, "photos")
	for _, k := range acked {
		it, err := a.db.FindItemByExternalID(ctx, src.ID, k.externalID)
		if err != nil {
			t.Errorf("acknowledged item %s is missing: %v", k.externalID, err)
			continue
		}
		if got := originalSHA(t, a, it.Media[0].ID); got != k.sha256 {
			t.Errorf("item %s decrypts to %s, acknowledged %s", k.externalID, got, k.sha256)
		}
	}
	present := 0
	for _, id := range tried {
		it, err := a.db.FindItemByExternalID(ctx, src.ID, id)
		if err != nil {
			continue
		}
		present++
		if len(it.Media) != 1 {
			t.Errorf("item %s has %d media", id, len(it.Media))
			continue
		}
		for _, kind := range []review.MediaKind{review.KindOriginal, review.KindPreview} {
			o, err := a.db.FindObject(ctx, it.Media[0].ID, kind)
			if err == nil {
				_, err = review.ReadObject(ctx, a.vault, it.Media[0].ID, kind, o)
			}
			if err != nil {
				t.Errorf("item %s is half written: %s: %v", id, kind, err)
			}
		}
	}
	t.Logf("%d attempts, %d acknowledged, %d stored, 3 kills", len(tried), len(acked), present)
}

func originalSHA(t *testing.T, a *app, mediaID string) string {
	o, err := a.db.FindObject(context.Background(), mediaID, review.KindOriginal)
	if err != nil {
		return "no key: " + err.Error()
	}
	b, err := review.ReadObject(context.Background(), a.vault, mediaID, review.KindOriginal, o)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
