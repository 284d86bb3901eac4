package review

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPurgeable(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	later := func(days int) time.Time { return now.AddDate(0, 0, days) }
	r := DefaultRetention
	cases := []struct {
		name  string
		f     RetentionFacts
		ok    bool
		why   string
		since time.Time
	}{
		{"undecided", RetentionFacts{}, false, "no final decision", time.Time{}},
		{"escalated, no verdict", RetentionFacts{Verdict: Escalate, DecidedAt: ago(400)}, false, "no final decision", time.Time{}},
		{"not violating, 6 days", RetentionFacts{Verdict: NotViolating, DecidedAt: ago(6)}, false, "kept until 2026-11-27", ago(6).Add(r.NotViolating)},
		{"not violating, exactly 7 days", RetentionFacts{Verdict: NotViolating, DecidedAt: ago(7)}, true, PurgeNotViolating, now},
		{"not violating, 30 days", RetentionFacts{Verdict: NotViolating, DecidedAt: ago(30)}, true, PurgeNotViolating, ago(23)},
		{"violating unreported, 89 days", RetentionFacts{Verdict: Violating, DecidedAt: ago(89)}, false, "kept until 2026-11-27", later(1)},
		{"violating unreported, 90 days", RetentionFacts{Verdict: Violating, DecidedAt: ago(90)}, true, PurgeUnreported, now},
		{"failed report counts as unreported", RetentionFacts{Verdict: Violating, DecidedAt: ago(91), ReportStatus: "failed"}, true, PurgeUnreported, ago(1)},
		{"report pending", RetentionFacts{Verdict: Violating, DecidedAt: ago(400), ReportStatus: "approved"}, false, "in a report case not finished yet", time.Time{}},
		{"reported, held", RetentionFacts{Verdict: Violating, DecidedAt: ago(400), ReportStatus: "finished", ReportedAt: ago(300), HeldUntil: []time.Time{later(65)}},
			false, "under legal hold until 2027-01-30", later(65)},
		{"reported, hold ends now", RetentionFacts{Verdict: Violating, DecidedAt: ago(400), ReportStatus: "finished", HeldUntil: []time.Time{now}}, true, PurgeHoldEnded, now},
		{"reported, one of two holds still on", RetentionFacts{Verdict: Violating, DecidedAt: ago(800), ReportStatus: "finished", HeldUntil: []time.Time{ago(30), later(1)}},
			false, "under legal hold until 2026-11-27", later(1)},
		{"reported, holds ended", RetentionFacts{Verdict: Violating, DecidedAt: ago(800), ReportStatus: "finished", HeldUntil: []time.Time{ago(30), ago(2)}}, true, PurgeHoldEnded, ago(2)},
		{"reported without holds: default hold from the finish", RetentionFacts{Verdict: Violating, DecidedAt: ago(800), ReportStatus: "finished", ReportedAt: ago(364)}, false, "kept until 2026-11-27", later(1)},
		{"reported without holds, a year on", RetentionFacts{Verdict: Violating, DecidedAt: ago(800), ReportStatus: "finished", ReportedAt: ago(365)}, true, PurgeHoldEnded, now},
		{"not violating under a hold", RetentionFacts{Verdict: NotViolating, DecidedAt: ago(30), HeldUntil: []time.Time{later(10)}}, false, "under legal hold until 2026-12-06", later(10)},
		{"not violating, hold ended after the 7 days", RetentionFacts{Verdict: NotViolating, DecidedAt: ago(30), HeldUntil: []time.Time{ago(3)}}, true, PurgeNotViolating, ago(3)},
	}
	for _, tc := range cases {
		ok, why, since := r.Purgeable(tc.f, now)
		if ok != tc.ok || why != tc.why || !since.Equal(tc.since) {
			t.Errorf("%s: (%v, %q, %v), want (%v, %q, %v)", tc.name, ok, why, since, tc.ok, tc.why, tc.since)
		}
	}
}

type settings map[string]string

func (s settings) Setting(_ context.Context, key string) (string, error) { return s[key], nil }

func TestLoadRetention(t *testing.T) {
	r, err := LoadRetention(context.Background(), settings{})
	if err != nil || r != DefaultRetention {
		t.Errorf("no settings: %+v, %v; want the defaults", r, err)
	}
	r, err = LoadRetention(context.Background(), settings{SettingRetentionNotViolating: "3", SettingRetentionHold: " 730 "})
	if want := (Retention{NotViolating: 3 * day, Unreported: 90 * day, Hold: 730 * day}); err != nil || r != want {
		t.Errorf("settings: %+v, %v; want %+v", r, err, want)
	}
	for _, bad := range []string{"0", "-5", "seven", "7.5"} {
		_, err := LoadRetention(context.Background(), settings{SettingRetentionUnreported: bad})
		var v *ValidationError
		if !errors.As(err, &v) || v.Field() != SettingRetentionUnreported {
			t.Errorf("unreported_days=%q: %v, want a validation error", bad, err)
		}
	}
}

func TestValidateHoldExtension(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	h := Hold{Until: now.AddDate(0, 2, 0)}
	cases := []struct {
		until  time.Time
		reason string
		field  string // "" when valid
	}{
		{now.AddDate(1, 0, 0), "court order 12", ""},
		{now.AddDate(1, 0, 0), "  ", "reason"},
		{h.Until, "same day", "until"},
		{now.AddDate(0, 1, 0), "earlier", "until"},
		{time.Time{}, "no date", "until"},
	}
	for _, tc := range cases {
		err := ValidateHoldExtension(h, tc.until, tc.reason, now)
		var v *ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%v %q: %v", tc.until, tc.reason, err)
		case tc.field != "" && (!errors.As(err, &v) || v.Problems[tc.field] == ""):
			t.Errorf("%v %q: %v, want a problem with %s", tc.until, tc.reason, err, tc.field)
		}
	}
	// An expired hold extended to a date still in the past is refused.
	old := Hold{Until: now.AddDate(0, -2, 0)}
	if err := ValidateHoldExtension(old, now.AddDate(0, -1, 0), "late", now); err == nil {
		t.Error("extension into the past accepted")
	}
}
