package review

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSlotsBoundWhatRunsAtOnce(t *testing.T) {
	s := NewSlots(2, 20*time.Millisecond)
	ctx := context.Background()
	r1, err1 := s.Take(ctx)
	_, err2 := s.Take(ctx)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if _, err := s.Take(ctx); !errors.Is(err, ErrBusy) || !errors.Is(err, ErrUnavailable) {
		t.Errorf("a third caller while both slots are held: %v, want ErrBusy (a 503)", err)
	}
	r1()
	if _, err := s.Take(ctx); err != nil {
		t.Errorf("after one slot came free: %v", err)
	}
}

func TestSlotsWaitTheirTurn(t *testing.T) {
	s := NewSlots(1, time.Minute)
	release, _ := s.Take(context.Background())
	got := make(chan error)
	go func() {
		_, err := s.Take(context.Background())
		got <- err
	}()
	release()
	if err := <-got; err != nil {
		t.Errorf("a waiting caller did not get the freed slot: %v", err)
	}
}

func TestSlotsGiveUpWhenTheCallerHasGone(t *testing.T) {
	s := NewSlots(1, time.Minute)
	if _, err := s.Take(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Take(ctx); !errors.Is(err, ErrBusy) {
		t.Errorf("cancelled caller: %v", err)
	}
}
