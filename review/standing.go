package review

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Weight is how much one second of a rendition counts against the daily
// exposure budget: greyscale 1, colour 2, a spotlight colour's weight times
// the share of the image it showed (greyscale spotlights too), EXIF (text,
// no pixels) 0.25. A download has no seconds to weigh.
func Weight(rendition string, regionFraction float64) float64 {
	switch rendition {
	case RenditionDownload:
		return 0
	case StepGrey:
		return 1
	case StepColour:
		return 2
	case StepSpotlight:
		return 2 * regionFraction
	default:
		return 0.25
	}
}

// SecondsAt is the exposure's length as accounted at now: its closed
// length, or for a reveal still running the time so far, never past its cap.
func (e Exposure) SecondsAt(now time.Time) float64 {
	if !e.Open() {
		return e.Seconds
	}
	return e.Close(now, "").Seconds
}

// WeightedAt is SecondsAt times the rendition's weight.
func (e Exposure) WeightedAt(now time.Time) float64 {
	return e.SecondsAt(now) * Weight(e.Rendition, e.RegionFraction)
}

// DecisionMark is a decision as the wellbeing limits see it.
type DecisionMark struct {
	At     time.Time
	Took   time.Duration // from the claim to the decision
	Severe bool
}

// Activity is a reviewer's recent work from the server's own records.
type Activity struct {
	Exposures []Exposure     // started in the last day
	Decisions []DecisionMark // made in the last day, oldest first
	Breaks    []Break        // started in the last day, oldest first
}

// Standing is where a reviewer stands against their limits at one moment.
type Standing struct {
	Limits   Limits
	Now      time.Time
	Used     float64       // weighted exposure seconds today
	Severe   int           // items decided in a severe category in the last hour
	Working  time.Duration // continuous review time
	Break    Break         // the break that applies now; ID 0 when it is due but not yet recorded
	Warnings []string
}

// OnBreak reports whether a break applies.
func (s Standing) OnBreak() bool { return s.Break.Reason != "" }

// BudgetLeft is the weighted seconds left today, or -1 without a budget.
func (s Standing) BudgetLeft() float64 {
	if s.Limits[LimitDailyBudget] == 0 {
		return -1
	}
	return max(0, float64(s.Limits[LimitDailyBudget])-s.Used)
}

// Assess works out a reviewer's standing at now from their activity, with
// the day (for the budget) ending at dayEnd and starting a day earlier.
func Assess(l Limits, a Activity, now, dayEnd time.Time) Standing {
	s := Standing{Limits: l, Now: now}
	dayStart := dayEnd.AddDate(0, 0, -1)
	for _, e := range a.Exposures {
		if !e.StartedAt.Before(dayStart) {
			s.Used += e.WeightedAt(now)
		}
	}
	var severe []time.Time
	for _, d := range a.Decisions {
		if d.Severe && now.Sub(d.At) < time.Hour {
			severe = append(severe, d.At)
		}
	}
	s.Severe = len(severe)
	rest := time.Duration(l[LimitBreak]) * time.Minute
	s.Working = working(a, now, rest)

	due := func(reason string, until time.Time) {
		if !s.OnBreak() && until.After(now) {
			s.Break = Break{Reason: reason, StartedAt: now, EndsAt: until}
		}
	}
	if i := slices.IndexFunc(a.Breaks, func(b Break) bool { return b.Active(now) }); i >= 0 {
		s.Break = a.Breaks[i]
	}
	if budget := float64(l[LimitDailyBudget]); budget > 0 && budget-s.Used < 1 {
		due(BreakBudget, dayEnd)
	}
	if n := l[LimitSeverePerHour]; n > 0 && len(severe) >= n {
		due(BreakSevereRate, severe[len(severe)-n].Add(time.Hour))
	}
	if c := time.Duration(l[LimitCooldown]) * time.Minute; c > 0 && len(severe) > 0 {
		due(BreakCooldown, severe[len(severe)-1].Add(c))
	}
	if c := time.Duration(l[LimitContinuous]) * time.Minute; c > 0 && s.Working >= c {
		due(BreakContinuous, now.Add(rest))
	}
	if !s.OnBreak() {
		s.Warnings = s.warnings(rest)
	}
	return s
}

// working is the continuous review time at now: since the start of the
// first activity (a reveal, or the time spent on a decided item) after
// the last rest, where a rest is an idle gap of a break's length or a
// break that ran its full length.
func working(a Activity, now time.Time, rest time.Duration) time.Duration {
	type span struct{ from, to time.Time }
	var spans []span
	for _, e := range a.Exposures {
		spans = append(spans, span{e.StartedAt, e.StartedAt.Add(seconds(e.SecondsAt(now)))})
	}
	for _, d := range a.Decisions {
		spans = append(spans, span{d.At.Add(-d.Took), d.At})
	}
	slices.SortFunc(spans, func(x, y span) int { return x.from.Compare(y.from) })
	rested := func(from, to time.Time) bool {
		if to.Sub(from) >= rest {
			return true
		}
		return slices.ContainsFunc(a.Breaks, func(b Break) bool {
			return b.Taken(to) && b.End().After(from) && !b.End().After(to)
		})
	}
	var start, end time.Time
	for _, s := range spans {
		if s.from.After(now) {
			break
		}
		if end.IsZero() || rested(end, s.from) {
			start = s.from
		}
		if s.to.After(end) {
			end = s.to
		}
	}
	if end.IsZero() || rested(end, now) {
		return 0
	}
	return now.Sub(start)
}

// warnings are the limits within the warning share of being reached.
func (s Standing) warnings(rest time.Duration) []string {
	warn := float64(s.Limits[LimitWarnPercent]) / 100
	var out []string
	if budget := float64(s.Limits[LimitDailyBudget]); budget > 0 && s.Used >= warn*budget {
		out = append(out, fmt.Sprintf("You have used %.0f%% of today's exposure budget.", 100*s.Used/budget))
	}
	if c := time.Duration(s.Limits[LimitContinuous]) * time.Minute; c > 0 && float64(s.Working) >= warn*float64(c) {
		out = append(out, fmt.Sprintf("A %d-minute break is due in %d minutes. You can take it now.", int(rest.Minutes()), int(math.Ceil((c-s.Working).Minutes()))))
	}
	if n := s.Limits[LimitSeverePerHour]; n > 0 && float64(s.Severe) >= warn*float64(n) {
		out = append(out, fmt.Sprintf("You have reviewed %d of the hour's %d severe items.", s.Severe, n))
	}
	return out
}

// RevealAllowance is how long a reveal of the given weight on an item may
// last: the item's reveal time left and the day's budget left at that
// weight (whichever is shorter), or -1 when neither limit applies.
func (s Standing) RevealAllowance(a Activity, itemID int64, weight float64) (time.Duration, error) {
	allow := time.Duration(-1)
	if per := s.Limits[LimitRevealPerItem]; per > 0 {
		var used float64
		for _, e := range a.Exposures {
			if e.ItemID == itemID {
				used += e.SecondsAt(s.Now)
			}
		}
		left := float64(per) - used
		if left < 1 {
			return 0, fmt.Errorf("you have used this item's reveal time (%d seconds); decide on what you have seen, or escalate: %w", per, ErrForbidden)
		}
		allow = seconds(left)
	}
	if left := s.BudgetLeft(); left >= 0 && weight > 0 {
		if b := seconds(left / weight); allow < 0 || b < allow {
			allow = b
		}
	}
	return allow, nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// DayEnd is the end of now's day in loc: when a daily budget starts again.
func DayEnd(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
}
