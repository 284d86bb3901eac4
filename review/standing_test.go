package review

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

var nine = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// at is a clock offset from 09:00.
func at(d time.Duration) time.Time { return nine.Add(d) }

// reveal is a closed exposure of secs seconds starting at start.
func reveal(item int64, rendition string, fraction float64, start time.Time, secs float64) Exposure {
	e := Exposure{ItemID: item, Rendition: rendition, RegionFraction: fraction, StartedAt: start, CapAt: start.Add(time.Minute)}
	return e.Close(start.Add(time.Duration(secs*float64(time.Second))), "reblur")
}

func dayEnd(now time.Time) time.Time { return DayEnd(now, time.UTC) }

func TestWeights(t *testing.T) {
	cases := []struct {
		e    Exposure
		want float64
	}{
		{reveal(1, StepGrey, 1, nine, 10), 10},
		{reveal(1, StepColour, 1, nine, 10), 20},
		{reveal(1, StepSpotlight, 0.25, nine, 10), 5},
		{reveal(1, StepEXIF, 1, nine, 10), 2.5},
	}
	for _, tc := range cases {
		if got := tc.e.WeightedAt(at(time.Hour)); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s for 10 s weighs %v, want %v", tc.e.Rendition, got, tc.want)
		}
	}
	// A reveal still running counts the time so far, never past its cap.
	open := Exposure{Rendition: StepColour, RegionFraction: 1, StartedAt: nine, CapAt: at(10 * time.Second)}
	if got := open.WeightedAt(at(4 * time.Second)); got != 8 {
		t.Errorf("open colour reveal after 4 s weighs %v, want 8", got)
	}
	if got := open.WeightedAt(at(time.Hour)); got != 20 {
		t.Errorf("open colour reveal past its 10 s cap weighs %v, want 20", got)
	}
}

func TestDailyBudget(t *testing.T) {
	l := DefaultLimits.Merge(Limits{LimitDailyBudget: 100, LimitContinuous: 0})
	yesterday := reveal(1, StepColour, 1, nine.Add(-20*time.Hour), 50) // before midnight: not today's
	a := Activity{Exposures: []Exposure{yesterday, reveal(2, StepColour, 1, at(0), 30), reveal(3, StepGrey, 1, at(time.Minute), 25)}}
	s := Assess(l, a, at(2*time.Minute), dayEnd(nine))
	if s.Used != 85 || s.BudgetLeft() != 15 {
		t.Fatalf("used %v, left %v; want 85 (60 colour + 25 grey), 15", s.Used, s.BudgetLeft())
	}
	if s.OnBreak() {
		t.Fatalf("on a break with budget left: %+v", s.Break)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "85%") {
		t.Errorf("warnings at 85%% of the budget = %q", s.Warnings)
	}
	// Colour costs two budget seconds a second: 15 left allow 7.5 s.
	allow, err := s.RevealAllowance(a, 9, Weight(StepColour, 1))
	if err != nil || allow != 7500*time.Millisecond {
		t.Errorf("colour allowance = %v, %v; want 7.5s", allow, err)
	}
	a.Exposures = append(a.Exposures, reveal(4, StepGrey, 1, at(3*time.Minute), 15))
	s = Assess(l, a, at(4*time.Minute), dayEnd(nine))
	if s.Break.Reason != BreakBudget || !s.Break.EndsAt.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("spent budget: break %+v, want budget break until midnight", s.Break)
	}
	// The next day starts afresh.
	tomorrow := time.Date(2026, 11, 27, 0, 0, 1, 0, time.UTC)
	if s := Assess(l, a, tomorrow, dayEnd(tomorrow)); s.OnBreak() || s.Used != 0 {
		t.Errorf("after midnight: used %v, break %+v", s.Used, s.Break)
	}
	// In another time zone the day ends at that zone's midnight.
	dublinish := time.FixedZone("UTC-5", -5*3600)
	if got := DayEnd(nine, dublinish); !got.Equal(time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("day end in UTC-5 = %v", got.UTC())
	}
}

func TestRevealTimePerItem(t *testing.T) {
	l := Limits{LimitRevealPerItem: 30, LimitWarnPercent: 80, LimitBreak: 15}
	a := Activity{Exposures: []Exposure{reveal(7, StepGrey, 1, at(0), 20), reveal(8, StepGrey, 1, at(0), 25)}}
	s := Assess(l, a, at(time.Minute), dayEnd(nine))
	if allow, err := s.RevealAllowance(a, 7, 1); err != nil || allow != 10*time.Second {
		t.Errorf("item 7 allowance = %v, %v; want 10s", allow, err)
	}
	a.Exposures = append(a.Exposures, reveal(7, StepColour, 1, at(30*time.Second), 10))
	if _, err := s.RevealAllowance(a, 7, 2); !errors.Is(err, ErrForbidden) {
		t.Errorf("item 7 after 30 s of reveals: %v, want forbidden", err)
	}
	if allow, _ := s.RevealAllowance(a, 99, 2); allow != 30*time.Second {
		t.Errorf("a fresh item's allowance = %v, want 30s", allow)
	}
	if allow, _ := Assess(Limits{LimitBreak: 15}, a, at(time.Minute), dayEnd(nine)).RevealAllowance(a, 7, 2); allow != -1 {
		t.Errorf("without limits the allowance = %v, want -1 (none)", allow)
	}
}

func TestContinuousWorkAndBreaks(t *testing.T) {
	l := Limits{LimitContinuous: 60, LimitBreak: 10, LimitWarnPercent: 80}
	// A decision every 5 minutes from 09:00.
	var a Activity
	for m := 0; m <= 55; m += 5 {
		a.Decisions = append(a.Decisions, DecisionMark{At: at(time.Duration(m) * time.Minute)})
	}
	s := Assess(l, a, at(50*time.Minute), dayEnd(nine))
	if s.Working != 50*time.Minute || s.OnBreak() || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "due in 10 minutes") {
		t.Fatalf("at 09:50: working %v, break %+v, warnings %q", s.Working, s.Break, s.Warnings)
	}
	s = Assess(l, a, at(60*time.Minute), dayEnd(nine))
	if s.Break.Reason != BreakContinuous || !s.Break.EndsAt.Equal(at(70*time.Minute)) {
		t.Fatalf("after 60 minutes: %+v, want a continuous break until 10:10", s.Break)
	}
	// The break recorded and running refuses work until it ends ...
	b := s.Break
	b.ID = 1
	a.Breaks = []Break{b}
	if s := Assess(l, a, at(69*time.Minute), dayEnd(nine)); s.Break.ID != 1 {
		t.Errorf("during the break: %+v", s.Break)
	}
	// ... and after it, work starts a new stretch.
	a.Decisions = append(a.Decisions, DecisionMark{At: at(71 * time.Minute)})
	if s := Assess(l, a, at(75*time.Minute), dayEnd(nine)); s.OnBreak() || s.Working != 4*time.Minute {
		t.Errorf("after the break: working %v, break %+v", s.Working, s.Break)
	}
	// An idle gap of a break's length is a rest too.
	idle := Activity{Decisions: []DecisionMark{{At: at(0)}, {At: at(50 * time.Minute)}, {At: at(61 * time.Minute)}}}
	if s := Assess(l, idle, at(65*time.Minute), dayEnd(nine)); s.Working != 4*time.Minute {
		t.Errorf("after an 11-minute gap: working %v, want 4m", s.Working)
	}
	if s := Assess(l, idle, at(90*time.Minute), dayEnd(nine)); s.Working != 0 {
		t.Errorf("idle since 10:01: working %v, want 0", s.Working)
	}
	// Time spent on a decided item counts from its claim, however long.
	long := Activity{Decisions: []DecisionMark{{At: at(20 * time.Minute), Took: 20 * time.Minute}}}
	if s := Assess(l, long, at(21*time.Minute), dayEnd(nine)); s.Working != 21*time.Minute {
		t.Errorf("one 20-minute item: working %v, want 21m", s.Working)
	}
	// A step-away break cut short is not a rest.
	short := Activity{
		Decisions: []DecisionMark{{At: at(0)}, {At: at(8 * time.Minute)}, {At: at(12 * time.Minute)}},
		Breaks:    []Break{{ID: 2, Reason: BreakStepAway, StartedAt: at(9 * time.Minute), EndsAt: at(19 * time.Minute), EndedAt: at(11 * time.Minute)}},
	}
	if s := Assess(l, short, at(13*time.Minute), dayEnd(nine)); s.Working != 13*time.Minute {
		t.Errorf("after a cut-short step-away: working %v, want 13m", s.Working)
	}
}

func TestSevereRateAndCooldown(t *testing.T) {
	l := Limits{LimitSeverePerHour: 3, LimitBreak: 10, LimitWarnPercent: 50}
	a := Activity{Decisions: []DecisionMark{
		{At: at(0), Severe: true}, {At: at(5 * time.Minute)}, {At: at(10 * time.Minute), Severe: true},
	}}
	s := Assess(l, a, at(11*time.Minute), dayEnd(nine))
	if s.Severe != 2 || s.OnBreak() || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "2 of the hour's 3") {
		t.Fatalf("two severe items: %+v", s)
	}
	a.Decisions = append(a.Decisions, DecisionMark{At: at(20 * time.Minute), Severe: true})
	s = Assess(l, a, at(21*time.Minute), dayEnd(nine))
	if s.Break.Reason != BreakSevereRate || !s.Break.EndsAt.Equal(at(60*time.Minute)) {
		t.Fatalf("third severe item in the hour: %+v, want a break until 10:00 (when the 09:00 one leaves the hour)", s.Break)
	}
	if s := Assess(l, a, at(61*time.Minute), dayEnd(nine)); s.OnBreak() || s.Severe != 2 {
		t.Errorf("at 10:01: severe %d, break %+v", s.Severe, s.Break)
	}

	cool := Limits{LimitCooldown: 5, LimitBreak: 10, LimitWarnPercent: 80}
	if s := Assess(cool, a, at(23*time.Minute), dayEnd(nine)); s.Break.Reason != BreakCooldown || !s.Break.EndsAt.Equal(at(25*time.Minute)) {
		t.Errorf("3 minutes after a severe item: %+v, want a cool-down until 09:25", s.Break)
	}
	if s := Assess(cool, a, at(25*time.Minute), dayEnd(nine)); s.OnBreak() {
		t.Errorf("cool-down over at 09:25: %+v", s.Break)
	}
}

func TestLimitsMergeAndParse(t *testing.T) {
	got := DefaultLimits.Merge(Limits{LimitDailyBudget: 900}, Limits{LimitBreak: 20}, Limits{LimitDailyBudget: 600})
	if got[LimitDailyBudget] != 600 || got[LimitBreak] != 20 || got[LimitContinuous] != DefaultLimits[LimitContinuous] {
		t.Errorf("merged limits = %v", got)
	}
	if DefaultLimits[LimitDailyBudget] != 1800 {
		t.Error("Merge changed the defaults")
	}
	// The budget is entered in weighted minutes and kept in weighted seconds.
	form := map[string]string{"daily_budget_minutes": "20", "break_minutes": "", "severe_items_per_hour": "0"}
	l, err := ParseLimits(func(k string) string { return form[k] })
	if err != nil || len(l) != 2 || l[LimitDailyBudget] != 1200 || l[LimitSeverePerHour] != 0 {
		t.Errorf("ParseLimits = %v, %v", l, err)
	}
	for field, bad := range map[string]string{"break_minutes": "0", "warn_percent": "120", "continuous_minutes": "-5", "daily_budget_minutes": "lots"} {
		_, err := ParseLimits(func(k string) string {
			if k == field {
				return bad
			}
			return ""
		})
		var v *ValidationError
		if !errors.As(err, &v) || v.Field() != field {
			t.Errorf("%s=%q: %v, want a validation error on the field", field, bad, err)
		}
	}
}

func TestBreakStates(t *testing.T) {
	b := Break{ID: 1, Reason: BreakStepAway, StartedAt: at(0), EndsAt: at(10 * time.Minute)}
	if !b.Active(at(5*time.Minute)) || b.Active(at(10*time.Minute)) || b.Taken(at(5*time.Minute)) || !b.Taken(at(10*time.Minute)) {
		t.Errorf("a 10-minute break: active/taken wrong")
	}
	b.EndedAt = at(3 * time.Minute)
	if b.Active(at(4*time.Minute)) || b.Taken(at(time.Hour)) || !b.CutShort() {
		t.Errorf("a break ended after 3 minutes: active %v, taken %v, cut short %v", b.Active(at(4*time.Minute)), b.Taken(at(time.Hour)), b.CutShort())
	}
	err := error(&BreakError{Break: Break{Reason: BreakBudget, EndsAt: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}})
	if !errors.Is(err, ErrOnBreak) || !strings.Contains(err.Error(), "today's exposure budget") || !strings.Contains(err.Error(), "00:00") {
		t.Errorf("break error = %q", err)
	}
}

func TestParseSupport(t *testing.T) {
	links, err := ParseSupport("Employee assistance | https://eap.example.org\n\nCounsellor on call | tel:+3531234567\n")
	if err != nil || len(links) != 2 || links[1].URL != "tel:+3531234567" {
		t.Errorf("ParseSupport = %+v, %v", links, err)
	}
	for _, bad := range []string{"no url here", "x | javascript:alert(1)", " | https://x.example"} {
		if _, err := ParseSupport(bad); err == nil {
			t.Errorf("ParseSupport(%q) accepted", bad)
		}
	}
}
