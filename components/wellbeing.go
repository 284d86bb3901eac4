package components

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/loupe-review/loupe/review"
)

// MyWellbeingProps is a reviewer's own wellbeing page.
type MyWellbeingProps struct {
	Page     Page
	CSRF     string
	Standing review.Standing
	Person   review.Person  // with all of their own check-ins
	Breaks   []review.Break // today's
	Support  []review.SupportLink
	Chart    Chart
}

// BreakProps is the break page.
type BreakProps struct {
	Page    Page
	CSRF    string
	Break   review.Break
	Active  bool   // the break is running
	Left    int    // seconds until it ends
	Until   string // its end, in the organisation's zone
	CheckIn bool   // it is over and no check-in followed it yet
	Support []review.SupportLink
}

// DashboardProps is the wellbeing dashboard.
type DashboardProps struct {
	Page     Page
	Period   int // days summed in the table: 1, 7 or 30
	People   []review.Person
	TeamDays []review.Day
	Chart    Chart
	Now      time.Time
}

// WellbeingPersonProps is one reviewer's record for wellbeing staff.
type WellbeingPersonProps struct {
	Page     Page
	CSRF     string
	Person   review.Person
	Override review.Limits
	Breaks   []review.Break // the last 30 days'
	Chart    Chart
	Error    string
	Now      time.Time
	Zone     *time.Location // the organisation's
}

// WellbeingLimitsProps is the organisation's limits page.
type WellbeingLimitsProps struct {
	Page      Page
	CSRF      string
	Org       review.Limits
	Queues    []review.QueueRef
	Overrides map[int64]review.Limits
	Timezone  string
	Support   string
	Error     string
}

// Chart is a bar chart of daily weighted exposure, drawn as SVG on the
// server, with the budget as a line.
type Chart struct {
	Width, Height float64
	Bars          []Bar
	BudgetY       float64 // 0: no budget line
	Budget        float64 // weighted seconds
	Axis          []AxisLabel
}

// Bar is one day.
type Bar struct {
	X, Y, W, H float64
	Title      string
	Over       bool
}

// DailyChart draws days' weighted exposure against a budget (0: none).
func DailyChart(days []review.Day, budget float64) Chart {
	c := Chart{Width: 600, Height: 120}
	top := budget
	for _, d := range days {
		top = max(top, d.Weighted)
	}
	top = max(top*1.1, 1)
	slot := c.Width / float64(max(len(days), 1))
	for i, d := range days {
		h := c.Height * d.Weighted / top
		c.Bars = append(c.Bars, Bar{
			X: float64(i)*slot + 1, Y: c.Height - h, W: max(slot-2, 1), H: h,
			Title: d.Date.Format("Mon 2 Jan") + ": " + duration(d.Weighted) + " weighted",
			Over:  budget > 0 && d.Weighted >= budget,
		})
	}
	if budget > 0 {
		c.BudgetY, c.Budget = c.Height-c.Height*budget/top, budget
	}
	c.Axis = axisLabels(days, c.Width)
	return c
}

func (c Chart) viewBox() string { return fmt.Sprintf("0 0 %g %g", c.Width, c.Height) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// duration says seconds in minutes and seconds.
func duration(secs float64) string {
	s := int(math.Round(secs))
	switch {
	case s < 60:
		return strconv.Itoa(s) + " s"
	case s < 3600:
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	default:
		return fmt.Sprintf("%d h %02d min", s/3600, s%3600/60)
	}
}

// percent is part of whole, or "–" without a whole.
func percent(part, whole float64) string {
	if whole <= 0 {
		return "–"
	}
	return strconv.Itoa(int(math.Round(100*part/whole))) + "%"
}

// mood is an average check-in mood, or "–" without one.
func mood(m float64) string {
	if m == 0 {
		return "–"
	}
	return strconv.FormatFloat(m, 'f', 1, 64) + " / 5"
}

// limitValue shows a limit in its form unit: empty when not set.
func limitValue(l review.Limits, s review.LimitSpec) string {
	if v, ok := l[s.Name]; ok {
		return strconv.Itoa(s.FormValue(v))
	}
	return ""
}

// breakReason names why a break started, shortly.
func breakReason(reason string) string {
	return map[string]string{
		review.BreakStepAway: "Stepped away", review.BreakContinuous: "Continuous review",
		review.BreakBudget: "Daily budget", review.BreakSevereRate: "Severe items per hour", review.BreakCooldown: "Cool-down",
	}[reason]
}

// breakStatus says how a break went.
func breakStatus(b review.Break, now time.Time) string {
	switch {
	case b.Active(now):
		return "running"
	case b.CutShort():
		return "ended early"
	default:
		return "taken"
	}
}

func clock(t time.Time) string { return t.UTC().Format("Jan 2 15:04 UTC") }

func periodName(n int) string {
	switch n {
	case 1:
		return "Today"
	case 7:
		return "Last 7 days"
	}
	return "Last " + itoa(n) + " days"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func personURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/wellbeing/people/%d", id)) }

// acked counts the team's acknowledged alerts.
func acked(people []review.Person) int {
	n := 0
	for _, p := range people {
		n += len(p.Alerts) - len(p.Open())
	}
	return n
}

func openAlerts(people []review.Person) int {
	n := 0
	for _, p := range people {
		n += len(p.Open())
	}
	return n
}

// overruns counts the days of the last n on which the budget ran out.
func overruns(p review.Person, n int) int {
	count := 0
	for _, d := range p.Days[max(0, len(p.Days)-n):] {
		if d.OverBudget() {
			count++
		}
	}
	return count
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
