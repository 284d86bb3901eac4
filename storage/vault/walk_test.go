package vault

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWalk(t *testing.T) {
	v, dir := newVault(t)
	put := []string{"zz-top", "a", "ab", "ab-1", "b2-grey", "q7-original"}
	for _, id := range put {
		if _, err := v.Put(t.Context(), id, []byte(id)); err != nil {
			t.Fatal(err)
		}
	}
	// Things that are not objects: a crash's leftover, strays, a directory.
	for _, p := range []string{"ab/.tmp-0123456789abcdef", "ab/README", "ab/zz-misplaced", "stray", "b2/sub/x"} {
		path := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := v.Walk(t.Context(), func(id string) error { got = append(got, id); return nil }); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(put))
	if !slices.Equal(got, want) {
		t.Errorf("Walk listed %q, want %q", got, want)
	}

	stop := errors.New("stop")
	var n int
	err := v.Walk(t.Context(), func(string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Walk returned %v after %d calls, want the callback's error after 1", err, n)
	}
}

func TestCleanTemp(t *testing.T) {
	v, dir := newVault(t)
	if _, err := v.Put(t.Context(), "ab-1", []byte("kept")); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	files := []struct {
		name    string
		modTime time.Time
		gone    bool
	}{
		{"ab/.tmp-old", cutoff.Add(-time.Hour), true},
		{"cd/.tmp-older", cutoff.Add(-48 * time.Hour), true},
		{"ab/.tmp-recent", cutoff.Add(time.Second), false},
		{"ab/not-a-temp", cutoff.Add(-time.Hour), false},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, f.modTime, f.modTime); err != nil {
			t.Fatal(err)
		}
	}
	// A write in progress, as Put sees it, is old enough but must survive.
	inFlight := v.store.(*Dir).startTemp(filepath.Join(dir, "ab"))
	if err := os.WriteFile(inFlight, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(inFlight, cutoff.Add(-time.Hour), cutoff.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}

	removed, err := v.store.(*Dir).CleanTemp(cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 {
		t.Errorf("removed %d files, want 2", removed)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if gone := errors.Is(err, os.ErrNotExist); gone != f.gone {
			t.Errorf("%s: gone = %v, want %v", f.name, gone, f.gone)
		}
	}
	if _, err := os.Stat(inFlight); err != nil {
		t.Errorf("the in-progress write was removed: %v", err)
	}
	if ok, _ := v.Exists(t.Context(), "ab-1"); !ok {
		t.Error("an object was removed")
	}
	v.store.(*Dir).endTemp(inFlight)
	if removed, err := v.store.(*Dir).CleanTemp(cutoff); err != nil || removed != 1 {
		t.Errorf("once finished, the abandoned write: removed %d, %v; want 1", removed, err)
	}
}
