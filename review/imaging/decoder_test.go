package imaging

import (
	"context"
	"errors"
	"testing"
	"time"
)

// decodeAsync runs d.Decode in the background and reports its release.
func decodeAsync(ctx context.Context, d *Decoder, b []byte) <-chan func() {
	done := make(chan func(), 1)
	go func() {
		_, _, release, err := d.Decode(ctx, b)
		if err != nil {
			release = func() {}
		}
		done <- release
	}()
	return done
}

func waitFor(t *testing.T, c <-chan func(), what string) func() {
	t.Helper()
	select {
	case release := <-c:
		return release
	case <-time.After(5 * time.Second):
		t.Fatalf("%s never ran", what)
		return nil
	}
}

// Two decodes that do not fit the budget together run one after the other.
func TestDecoderBudgetSerialises(t *testing.T) {
	img := pngOf(t, detailed(100, 100, 1)) // 40,000 bytes of RGBA and a 10,000-byte luma plane
	d := NewDecoder(Limits{MaxPixels: 1 << 20}, 80_000)
	_, _, releaseFirst, err := d.Decode(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	second := decodeAsync(context.Background(), d, img)
	select {
	case <-second:
		t.Fatal("a second decode ran while the first held the budget")
	case <-time.After(100 * time.Millisecond):
	}
	releaseFirst()
	releaseFirst() // a second call gives nothing back twice
	waitFor(t, second, "the second decode")()

	// Both released: two small decodes fit together.
	small := pngOf(t, detailed(50, 50, 1))
	a, b := decodeAsync(context.Background(), d, small), decodeAsync(context.Background(), d, small)
	ra, rb := waitFor(t, a, "small decode a"), waitFor(t, b, "small decode b")
	ra()
	rb()
}

// A decode that gives up waiting leaves the budget as it found it, and an
// image bigger than the whole budget still decodes, alone.
func TestDecoderBudgetCancelAndOversize(t *testing.T) {
	img := pngOf(t, detailed(100, 100, 1))
	d := NewDecoder(Limits{MaxPixels: 1 << 20}, 60_000)
	_, _, release, err := d.Decode(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, _, err := d.Decode(ctx, img); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
	big := pngOf(t, detailed(300, 300, 2)) // 450,000 bytes: more than the budget
	waiting := decodeAsync(context.Background(), d, big)
	select {
	case <-waiting:
		t.Fatal("the oversize decode ran beside another")
	case <-time.After(50 * time.Millisecond):
	}
	release()
	waitFor(t, waiting, "the oversize decode")()
	if d.budget.used != 0 || d.budget.waiters.Len() != 0 {
		t.Errorf("budget left with %d bytes used and %d waiters", d.budget.used, d.budget.waiters.Len())
	}
}

// Refusals hold nothing: a bomb, or bytes that fail to decode.
func TestDecoderRefusalsHoldNothing(t *testing.T) {
	d := NewDecoder(serverLimits, 1<<20)
	for _, b := range [][]byte{pngHeaderOf(7000, 7000, 16, 6), pngHeader(50, 50)} {
		if _, _, release, err := d.Decode(context.Background(), b); err == nil || release != nil {
			t.Errorf("err = %v, release %v", err, release != nil)
		}
	}
	if d.budget.used != 0 {
		t.Errorf("%d bytes still held", d.budget.used)
	}
}
