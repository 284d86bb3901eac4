package ncmec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// FailKind is a failure Fake can be told to produce.
type FailKind int

const (
	// Fail5xx answers HTTP 503 without doing the step.
	Fail5xx FailKind = iota + 1
	// FailTimeout holds the request for Fake.Hang, or until the client
	// gives up, without doing the step.
	FailTimeout
	// Fail4100 answers response code 4100 (validation failed) without
	// doing the step.
	Fail4100
	// FailLoseResponse does the step, then cuts the connection instead of
	// answering: the step took effect, but the client never learns how
	// (after a submit, the report's id).
	FailLoseResponse
)

// failNames are the kinds as ParseFailure reads them.
var failNames = map[FailKind]string{Fail5xx: "5xx", FailTimeout: "timeout", Fail4100: "4100", FailLoseResponse: "lost"}

func (k FailKind) String() string {
	if n, ok := failNames[k]; ok {
		return n
	}
	return "FailKind(" + strconv.Itoa(int(k)) + ")"
}

// steps are the service's endpoints, which are also Exchange.Step.
var steps = []string{"status", "submit", "upload", "fileinfo", "finish", "retract"}

// failure is a planned failure of one step.
type failure struct {
	kind FailKind
	left int
}

// Fail makes the next times calls to step fail as kind says (for
// FailLoseResponse, the next times calls that succeed). It replaces
// any failure planned earlier for step; times 0 cancels it.
func (f *Fake) Fail(step string, kind FailKind, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if times <= 0 {
		delete(f.failures, step)
		return
	}
	f.failures[step] = failure{kind: kind, left: times}
}

// planned returns the failure planned for step and uses it up, except a
// lost answer: only a call that succeeds uses that up (see use), so that a
// rejected document does not spend it.
func (f *Fake) planned(step string) (FailKind, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.failures[step]
	if ok && p.kind != FailLoseResponse {
		f.useLocked(step)
	}
	return p.kind, ok
}

// use uses up one planned failure of step.
func (f *Fake) use(step string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.useLocked(step)
}

func (f *Fake) useLocked(step string) {
	p, ok := f.failures[step]
	switch {
	case !ok:
	case p.left <= 1:
		delete(f.failures, step)
	default:
		p.left--
		f.failures[step] = p
	}
}

// ParseFailure reads STEP:KIND:TIMES as the fake-cybertipline command takes
// it, for example "submit:lost:1" or "upload:5xx:2". KIND is 5xx, timeout,
// 4100 or lost.
func ParseFailure(spec string) (step string, kind FailKind, times int, err error) {
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		return "", 0, 0, fmt.Errorf("ncmec: failure %q: want STEP:KIND:TIMES", spec)
	}
	step = parts[0]
	if !slices.Contains(steps, step) {
		return "", 0, 0, fmt.Errorf("ncmec: failure %q: step must be one of %s", spec, strings.Join(steps, ", "))
	}
	for k, n := range failNames {
		if n == parts[1] {
			kind = k
		}
	}
	if kind == 0 {
		return "", 0, 0, fmt.Errorf("ncmec: failure %q: kind must be 5xx, timeout, 4100 or lost", spec)
	}
	times, err = strconv.Atoi(parts[2])
	if err != nil || times < 1 {
		return "", 0, 0, fmt.Errorf("ncmec: failure %q: times must be a positive number", spec)
	}
	return step, kind, times, nil
}
