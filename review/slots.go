package review

import (
	"context"
	"runtime"
	"time"
)

// Slots bounds how many secret checks run at once. A password hash
// (argon2id) holds 19 MiB for tens of milliseconds: unbounded, 150 sign-ins
// at once took 3 GB. With slots, a crowd signing in queues for the CPUs, in
// order of arrival, and memory stays flat.
type Slots struct {
	free chan struct{}
	wait time.Duration
}

// MaxSlots caps the default number of slots: 8 argon2id hashes hold
// 152 MiB, and 8 attempts being checked from one address stay well under
// the address's allowance of failures.
const MaxSlots = 8

// DefaultWait is how long a caller waits for a slot before ErrBusy: long
// enough for 1,000 people signing in at the same moment on 2 cores (about
// 25 seconds to check every password) to get through without an error, and
// shorter than a reverse proxy's usual 60-second timeout.
const DefaultWait = 40 * time.Second

// DefaultSlots is one slot per CPU the process may use, up to MaxSlots.
func DefaultSlots() int { return min(runtime.GOMAXPROCS(0), MaxSlots) }

// NewSlots returns n slots (at least one) whose callers wait at most wait
// for their turn.
func NewSlots(n int, wait time.Duration) *Slots {
	return &Slots{free: make(chan struct{}, max(n, 1)), wait: wait}
}

// Take waits for a free slot and returns the function that gives it back.
// It returns ErrBusy when none came free within the wait or ctx ended
// first (the caller has gone, or the server is stopping).
func (s *Slots) Take(ctx context.Context) (release func(), err error) {
	select {
	case s.free <- struct{}{}:
		return s.release, nil
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.free <- struct{}{}:
		return s.release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ErrBusy
	}
}

func (s *Slots) release() { <-s.free }
