package ncmec

import (
	"slices"
	"testing"
)

func TestParseFailure(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		step  string
		kind  FailKind
		times int
		bad   bool
	}{
		{spec: "submit:5xx:2", step: "submit", kind: Fail5xx, times: 2},
		{spec: "finish:timeout:1", step: "finish", kind: FailTimeout, times: 1},
		{spec: "fileinfo:4100:3", step: "fileinfo", kind: Fail4100, times: 3},
		{spec: "submit:lost:1", step: "submit", kind: FailLoseResponse, times: 1},
		{spec: "submit:lost", bad: true},
		{spec: "send:5xx:1", bad: true},
		{spec: "submit:slow:1", bad: true},
		{spec: "submit:5xx:0", bad: true},
		{spec: "submit:5xx:x", bad: true},
	} {
		step, kind, times, err := ParseFailure(tc.spec)
		if (err != nil) != tc.bad || step != tc.step || kind != tc.kind || times != tc.times {
			t.Errorf("ParseFailure(%q) = %q, %v, %d, %v", tc.spec, step, kind, times, err)
		}
	}
}

// A planned failure lasts exactly times calls; Fail with 0 cancels it.
func TestFailCountsDown(t *testing.T) {
	f := NewFake("u", "p")
	f.Fail("upload", Fail5xx, 2)
	f.Fail("finish", FailTimeout, 1)
	f.Fail("finish", 0, 0)
	f.Fail("submit", FailLoseResponse, 1)
	var got []bool
	for range 3 {
		_, failing := f.planned("upload")
		got = append(got, failing)
	}
	if !slices.Equal(got, []bool{true, true, false}) {
		t.Errorf("upload failures = %v, want [true true false]", got)
	}
	if _, failing := f.planned("finish"); failing {
		t.Error("cancelled failure still planned")
	}
	// A lost answer waits for a call that succeeds.
	f.planned("submit")
	if _, failing := f.planned("submit"); !failing {
		t.Error("a lost answer was used up without a successful call")
	}
	f.use("submit")
	if _, failing := f.planned("submit"); failing {
		t.Error("a lost answer outlived its use")
	}
}
