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
		return 2 * Share(rendition, regionFraction)
	default:
		return 0.25
	}
}

// Share is the part of an exposure's seconds its rendition's weight
// applies to: for a spotlight the share of the image it showed, otherwise
// all of them, so that Weight(r, f) is Weight(r, 1) * Share(r, f). A sum
// of closed exposures' seconds times their shares, by rendition, is
// weighed without listing them (storage sums them so).
func Share(rendition string, regionFraction float64) float64 {
	if rendition == StepSpotlight {
		return regionFraction
	}
	return 1
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
	Exposures []Exposure     // started in the last day; see Summed
	Decisions []DecisionMark // made in the last day, oldest first; see Summed
	Breaks    []Break        // started in the last day, oldest first
	// Summed, when set, stands for what is not listed: the lists then hold
	// the open exposures, the closed ones that may have ended since the
	// query's Listed, and the decisions made since then (StandingQuery).
	Summed *ActivitySums
}

// ActivitySums are the sums a standing needs of a day's closed exposures,
// so that a busy day is not read row by row at every claim and reveal.
type ActivitySums struct {
	// Weighted is, by rendition, the seconds times their Share of the
	// closed exposures started since the query's DayStart that are not
	// listed (they started before the listing).
	Weighted map[string]float64
	// ItemSeconds are the seconds of ItemID's closed exposures started in
	// the last day (ItemID 0: none asked for).
	ItemID      int64
	ItemSeconds float64
}

// used is the weighted exposure seconds at now of the day that started at
// dayStart.
func (a Activity) used(now, dayStart time.Time) float64 {
	var used float64
	if a.Summed != nil {
		for r, shared := range a.Summed.Weighted {
			used += shared * Weight(r, 1)
		}
	}
	for _, e := range a.Exposures {
		if !e.StartedAt.Before(dayStart) {
			used += e.WeightedAt(now)
		}
	}
	return used
}

// itemSeconds is the reveal time at now spent on an item in the last day.
func (a Activity) itemSeconds(itemID int64, now time.Time) (float64, error) {
	var used float64
	if a.Summed != nil {
		if a.Summed.ItemID != itemID {
			return 0, fmt.Errorf("review: reveal time summed for item %d, asked for item %d", a.Summed.ItemID, itemID)
		}
		used = a.Summed.ItemSeconds
	}
	for _, e := range a.Exposures {
		if e.ItemID == itemID && (a.Summed == nil || e.Open()) {
			used += e.SecondsAt(now)
		}
	}
	return used, nil
}

// Standing is where a reviewer stands against their limits at one moment.
type Standing struct {
	Limits   Limits
	Now      time.Time
	Used     float64       // weighted exposure seconds today
	Severe   int           // items decided in a severe category in the last hour
	Working  time.Duration // continuous review time, with a limit on it (0 without)
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
	s := Standing{Limits: l, Now: now, Used: a.used(now, dayEnd.AddDate(0, 0, -1))}
	var severe []time.Time
	for _, d := range a.Decisions {
		if d.Severe && now.Sub(d.At) < time.Hour {
			severe = append(severe, d.At)
		}
	}
	s.Severe = len(severe)
	rest := time.Duration(l[LimitBreak]) * time.Minute
	if l[LimitContinuous] > 0 {
		s.Working = working(a, now, rest)
	}

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
// break that ran its full length. When a's older work is summed, not
// listed, it is at least that, and exactly that when it began at least a
// rest's length after the listing did (Wellbeing.Standing reads the whole
// day when it may not have).
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
		used, err := a.itemSeconds(itemID, s.Now)
		if err != nil {
			return 0, err
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
