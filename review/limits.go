package review

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// Limit names one wellbeing limit. Limits are set as organisation
// defaults, and overridden per queue and per person by wellbeing staff.
type Limit string

const (
	// LimitRevealPerItem caps the seconds of reveals one reviewer may spend
	// on one item (every rendition counts, unweighted).
	LimitRevealPerItem Limit = "reveal_seconds_per_item"
	// LimitDailyBudget is the day's exposure budget in weighted seconds
	// (see Weight).
	LimitDailyBudget Limit = "daily_budget_seconds"
	// LimitSeverePerHour caps the items decided in a severe category in
	// any 60 minutes.
	LimitSeverePerHour Limit = "severe_items_per_hour"
	// LimitContinuous is how long a reviewer may work without a break.
	LimitContinuous Limit = "continuous_minutes"
	// LimitBreak is the length of a mandatory or step-away break, and the
	// idle gap that counts as a rest.
	LimitBreak Limit = "break_minutes"
	// LimitCooldown is an optional pause after each severe item.
	LimitCooldown Limit = "severe_cooldown_minutes"
	// LimitWarnPercent is when warnings appear, as a share of a limit.
	LimitWarnPercent Limit = "warn_percent"
)

// LimitSpec describes a limit for the settings forms.
type LimitSpec struct {
	Name  Limit
	Label string
	Unit  string
	Help  string
	Max   int // in Unit
	// ZeroOff: 0 switches the limit off.
	ZeroOff bool
	// Scale is how many stored units one form unit is (0: the same): the
	// daily budget is kept in weighted seconds and entered in minutes.
	Scale int
}

// Field is the limit's form field name.
func (s LimitSpec) Field() string {
	if s.Scale > 1 {
		return strings.TrimSuffix(string(s.Name), "_seconds") + "_minutes"
	}
	return string(s.Name)
}

// FormValue is a stored value in the form's unit.
func (s LimitSpec) FormValue(stored int) int { return stored / max(s.Scale, 1) }

// WeightsHelp explains what a weighted minute is, where budgets are set.
const WeightsHelp = "A minute of greyscale counts 1, colour 2, a spotlight 2 times the share of the image shown, EXIF 0.25. Weighted minutes are also what the figures show."

// LimitSpecs lists every limit in the order the forms show them.
var LimitSpecs = []LimitSpec{
	{LimitDailyBudget, "Daily exposure budget", "weighted minutes", WeightsHelp, 1440, true, 60},
	{LimitRevealPerItem, "Reveal time per item", "seconds", "All reveals of one item by one reviewer, added up.", 3600, true, 0},
	{LimitSeverePerHour, "Severe items per hour", "items", "Items decided in a severe category in any 60 minutes.", 1000, true, 0},
	{LimitContinuous, "Continuous review before a break", "minutes", "Work without a rest of at least the break length.", 720, true, 0},
	{LimitBreak, "Break length", "minutes", "Mandatory breaks and step-away breaks last this long.", 240, false, 0},
	{LimitCooldown, "Cool-down after a severe item", "minutes", "A pause after each item decided in a severe category.", 120, true, 0},
	{LimitWarnPercent, "Warn at", "% of a limit", "Warnings appear when a limit is this close.", 100, false, 0},
}

// Limits maps limit names to values. A partial map is an override: the
// names it lacks are inherited.
type Limits map[Limit]int

// DefaultLimits are the organisation defaults until wellbeing staff change
// them: 30 weighted minutes of exposure a day, a 15-minute break after 90
// minutes of work, at most 20 severe items an hour.
var DefaultLimits = Limits{
	LimitDailyBudget:   1800,
	LimitRevealPerItem: 60,
	LimitSeverePerHour: 20,
	LimitContinuous:    90,
	LimitBreak:         15,
	LimitCooldown:      0,
	LimitWarnPercent:   80,
}

// LimitSet is what is stored for a person in a queue: the organisation's
// limits and the queue's and person's overrides.
type LimitSet struct{ Org, Queue, Person Limits }

// Clear makes each of the set empty (none stored).
func (s *LimitSet) Clear() { s.Org, s.Queue, s.Person = Limits{}, Limits{}, Limits{} }

// Effective is the limits that apply: the defaults, then the organisation's,
// the queue's and the person's.
func (s LimitSet) Effective() Limits { return DefaultLimits.Merge(s.Org, s.Queue, s.Person) }

// Merge returns l with each override applied in turn (later wins).
func (l Limits) Merge(overrides ...Limits) Limits {
	out := maps.Clone(l)
	if out == nil {
		out = Limits{}
	}
	for _, o := range overrides {
		maps.Copy(out, o)
	}
	return out
}

// ParseLimits reads a limits form: one field per limit, an empty field
// inherits (or, for the organisation, keeps the default).
func ParseLimits(get func(string) string) (Limits, error) {
	var v ValidationError
	out := Limits{}
	for _, s := range LimitSpecs {
		raw := strings.TrimSpace(get(s.Field()))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil || n < 0 || n > s.Max:
			v.Add(s.Field(), fmt.Sprintf("must be a whole number from 0 to %d", s.Max))
		case n == 0 && !s.ZeroOff:
			v.Add(s.Field(), "must be at least 1")
		default:
			out[s.Name] = n * max(s.Scale, 1)
		}
	}
	return out, v.Err()
}
