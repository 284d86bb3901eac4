package review

import (
	"testing"
	"time"
)

func TestExposureClose(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	e := Exposure{StartedAt: t0, CapAt: t0.Add(10 * time.Second)}
	cases := []struct {
		end     time.Duration
		reason  string
		seconds float64
		closed  string
	}{
		{4 * time.Second, "reblur", 4, "reblur"},
		{10 * time.Second, "decision", 10, "decision"},
		{time.Hour, "hidden", 10, "cap"},
		{-time.Second, "reblur", 0, "reblur"},
	}
	for _, tc := range cases {
		got := e.Close(t0.Add(tc.end), tc.reason)
		if got.Seconds != tc.seconds || got.ClosedBy != tc.closed || got.Open() {
			t.Errorf("end %v: %v s closed by %s, want %v by %s", tc.end, got.Seconds, got.ClosedBy, tc.seconds, tc.closed)
		}
	}
}
