package review

import (
	"slices"
	"time"
)

// Severities an exposure is counted under: the item's final decision.
const (
	SeveritySevere    = "severe"    // violating in a severe category
	SeverityOther     = "other"     // any other final decision
	SeverityUndecided = "undecided" // no final decision yet
)

// ExposureBucket sums one reviewer's reveals of one rendition and severity
// in one hour (UTC).
type ExposureBucket struct {
	UserID    int64
	Hour      time.Time
	Rendition string
	Severity  string
	Seconds   float64
	// FractionSeconds is seconds times the region fraction: what a
	// spotlight's weight needs.
	FractionSeconds float64
	Reveals         int
}

// Weighted is the bucket's weighted seconds (see Weight).
func (b ExposureBucket) Weighted() float64 {
	if b.Rendition == StepSpotlight {
		return Weight(StepSpotlight, 1) * b.FractionSeconds
	}
	return Weight(b.Rendition, 1) * b.Seconds
}

// DecisionBucket counts one reviewer's decisions in one hour (UTC).
type DecisionBucket struct {
	UserID int64
	Hour   time.Time
	Count  int
	// Verdicts are the decisions that decided their item (violating or
	// not violating), made by a person: not skips, escalations, overrides
	// or automated decisions.
	Verdicts int
}

// CheckIn is how a reviewer felt after a break: every part optional,
// private to them unless they share it.
type CheckIn struct {
	ID        int64
	UserID    int64
	BreakID   int64
	Mood      int // 1 (low) to 5 (good); 0 when not given
	Note      string
	Shared    bool
	CreatedAt time.Time
}

// Day is one person's work on one day in the organisation's time zone.
type Day struct {
	Date       time.Time
	Seconds    map[string]float64 // by rendition
	BySeverity map[string]float64 // seconds by severity
	Weighted   float64
	Reveals    int
	Downloads  int // originals downloaded in export bundles
	Decided    int
	Verdicts   int // items decided (violating or not), for items decided per reveal
	BreaksDue  int // breaks the server enforced
	Taken      int // breaks that ran their full length
	CutShort   int // step-away breaks ended early
	Budget     int // the daily budget that applied (0: none)
}

// Total is the day's exposure seconds, all renditions.
func (d Day) Total() float64 {
	var t float64
	for _, s := range d.Seconds {
		t += s
	}
	return t
}

// DecidedPerReveal is items decided per reveal in the ledger: how many
// items each look decided (clusters raise it). ok is false without reveals.
func (d Day) DecidedPerReveal() (float64, bool) {
	if d.Reveals == 0 {
		return 0, false
	}
	return float64(d.Verdicts) / float64(d.Reveals), true
}

// OverBudget reports whether the day's budget ran out.
func (d Day) OverBudget() bool { return d.Budget > 0 && d.Weighted >= float64(d.Budget) }

func (d *Day) add(o Day) {
	for k, v := range o.Seconds {
		d.Seconds[k] += v
	}
	for k, v := range o.BySeverity {
		d.BySeverity[k] += v
	}
	d.Weighted += o.Weighted
	d.Reveals += o.Reveals
	d.Downloads += o.Downloads
	d.Decided += o.Decided
	d.Verdicts += o.Verdicts
	d.BreaksDue += o.BreaksDue
	d.Taken += o.Taken
	d.CutShort += o.CutShort
	d.Budget += o.Budget
}

func newDay(date time.Time) Day {
	return Day{Date: date, Seconds: map[string]float64{}, BySeverity: map[string]float64{}}
}

// Person is one reviewer's record over a run of days, oldest first.
type Person struct {
	UserID   int64
	Email    string
	Limits   Limits
	Days     []Day
	CheckIns []CheckIn // shared ones only, on the wellbeing pages
	Alerts   []Alert
}

// Sum adds up the person's last n days.
func (p Person) Sum(n int) Day {
	total := newDay(time.Time{})
	for _, d := range p.Days[max(0, len(p.Days)-n):] {
		total.add(d)
	}
	return total
}

// Mood is the average shared check-in mood of the last n days (0: none).
func (p Person) Mood(n int, now time.Time) float64 {
	var sum, count int
	for _, c := range p.CheckIns {
		if c.Mood > 0 && now.Sub(c.CreatedAt) < time.Duration(n)*24*time.Hour {
			sum, count = sum+c.Mood, count+1
		}
	}
	if count == 0 {
		return 0
	}
	return float64(sum) / float64(count)
}

// Ledger is what the dashboard reads from storage for a run of days.
type Ledger struct {
	Exposures []ExposureBucket
	Decisions []DecisionBucket
	Breaks    []Break
	CheckIns  []CheckIn
}

// BuildPerson folds the ledger's rows for one person into n days ending
// with now's day in loc, and raises alerts.
func BuildPerson(u User, l Limits, led Ledger, n int, now time.Time, loc *time.Location) Person {
	p := Person{UserID: u.ID, Email: u.Email, Limits: l}
	end := DayEnd(now, loc)
	for i := n; i > 0; i-- {
		d := newDay(end.AddDate(0, 0, -i))
		d.Budget = l[LimitDailyBudget]
		p.Days = append(p.Days, d)
	}
	day := func(t time.Time) *Day {
		t = t.In(loc)
		i := slices.IndexFunc(p.Days, func(d Day) bool { return !t.Before(d.Date) && t.Before(d.Date.AddDate(0, 0, 1)) })
		if i < 0 {
			return nil
		}
		return &p.Days[i]
	}
	for _, b := range led.Exposures {
		d := day(b.Hour)
		switch {
		case b.UserID != u.ID || d == nil:
		case b.Rendition == RenditionDownload:
			// Originals handed out: no seconds were measured, so they
			// are counted, never timed or weighted.
			d.Downloads += b.Reveals
		default:
			d.Seconds[b.Rendition] += b.Seconds
			d.BySeverity[b.Severity] += b.Seconds
			d.Weighted += b.Weighted()
			d.Reveals += b.Reveals
		}
	}
	for _, b := range led.Decisions {
		if d := day(b.Hour); b.UserID == u.ID && d != nil {
			d.Decided += b.Count
			d.Verdicts += b.Verdicts
		}
	}
	for _, b := range led.Breaks {
		d := day(b.StartedAt)
		if b.UserID != u.ID || d == nil {
			continue
		}
		switch {
		case b.Enforced():
			d.BreaksDue++
		case b.CutShort():
			d.CutShort++
		}
		if b.Taken(now) {
			d.Taken++
		}
	}
	for _, c := range led.CheckIns {
		if c.UserID == u.ID {
			p.CheckIns = append(p.CheckIns, c)
		}
	}
	p.Alerts = alerts(p)
	return p
}

// TeamDays adds up everyone's days, day by day.
func TeamDays(people []Person) []Day {
	var out []Day
	for _, p := range people {
		for i, d := range p.Days {
			if i >= len(out) {
				out = append(out, newDay(d.Date))
			}
			out[i].add(d)
		}
	}
	return out
}
