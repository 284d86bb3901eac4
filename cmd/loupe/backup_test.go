package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func TestBackupWhileWritingRestoresHealthy(t *testing.T) {
	ctx := context.Background()
	data, backup, restored := t.TempDir(), filepath.Join(t.TempDir(), "b"), filepath.Join(t.TempDir(), "r")
	e := env{getenv: func(string) string { return "" }}
	a, err := openApp(ctx, data, "", e)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.EnsureSource(ctx, "photos")
	caller := review.APIToken{Name: "t", SourceID: src.ID, Source: "photos"}
	rng := rand.New(rand.NewPCG(7, 8))
	img := encodeJPEG(synthImage(1, 200, 150, rng), 80)
	ingest := func(id string) {
		if _, _, err := a.ingester.Ingest(ctx, caller, []byte(`{"external_id":"`+id+`"}`), []review.Upload{{Name: "x.jpg", Bytes: img}}); err != nil {
			t.Error(err)
		}
	}
	for i := range 10 {
		ingest(fmt.Sprintf("before-%d", i))
	}
	// Writers keep ingesting while the backup runs.
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				ingest(fmt.Sprintf("during-%d-%d", w, n))
			}
		}()
	}
	code, out, errOut := loupe(t, data, "", "backup", backup)
	stop.Store(true)
	wg.Wait()
	a.Close()
	if code != 0 || !strings.Contains(out, "NOT in the backup") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := loupe(t, data, "", "restore", backup); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Errorf("restore over a non-empty directory: %d %q", code, errOut)
	}
	if code, out, errOut := loupe(t, restored, "", "restore", backup); code != 0 {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	key, _ := os.ReadFile(filepath.Join(data, "master.key"))
	os.WriteFile(filepath.Join(restored, "master.key"), key, 0o600)
	if code, out, _ := loupe(t, restored, "", "doctor"); code != 0 || !strings.Contains(out, "healthy") {
		t.Fatalf("doctor on the restored copy: %d\n%s", code, out)
	}
	r, err := openApp(ctx, restored, "", e)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range 10 {
		if _, err := r.db.FindItemByExternalID(ctx, src.ID, fmt.Sprintf("before-%d", i)); err != nil {
			t.Errorf("item acknowledged before the backup is missing: %v", err)
		}
	}
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	data, backup := t.TempDir(), filepath.Join(t.TempDir(), "b")
	loupe(t, data, "", "user", "add", "--email", "a@example.org", "--role", "admin")
	if code, _, errOut := loupe(t, data, "", "backup", backup, "--include-keys"); code != 0 {
		t.Fatal(errOut)
	}
	f := filepath.Join(backup, "loupe.db")
	b, _ := os.ReadFile(f)
	b[len(b)/2] ^= 0xff
	os.WriteFile(f, b, 0o600)
	code, _, errOut := loupe(t, filepath.Join(t.TempDir(), "r"), "", "restore", backup)
	if code != 1 || !strings.Contains(errOut, "does not match its checksum") {
		t.Errorf("damaged backup: %d %q", code, errOut)
	}
}

func TestDoctorFindsDamagedMedia(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := env{getenv: func(string) string { return "" }}
	a, _ := openApp(ctx, data, "", e)
	src, _ := a.db.EnsureSource(ctx, "photos")
	rng := rand.New(rand.NewPCG(1, 1))
	a.ingester.Ingest(ctx, review.APIToken{SourceID: src.ID, Source: "photos"}, []byte(`{"external_id":"x"}`),
		[]review.Upload{{Bytes: encodePNG(synthImage(1, 64, 64, rng))}})
	a.Close()
	var victim string
	filepath.WalkDir(filepath.Join(data, "media"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && victim == "" {
			victim = p
		}
		return nil
	})
	b, _ := os.ReadFile(victim)
	b[len(b)-1] ^= 1
	os.WriteFile(victim, b, 0o600)
	code, out, _ := loupe(t, data, "", "doctor")
	if code != 1 || !strings.Contains(out, "problem: media") {
		t.Errorf("doctor on damaged media: %d\n%s", code, out)
	}
}
