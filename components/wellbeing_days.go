package components

import (
	"fmt"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
)

// DayRow is one row of a person's days table: a day, or a run of quiet
// days (no reveals, decisions, downloads or breaks) folded into one line.
type DayRow struct {
	Day      review.Day
	Quiet    int // >0: this many quiet days, from Day.Date to Last
	Last     time.Time
	LastDate string
}

// dayRows lists days newest first, folding each run of quiet days.
func dayRows(days []review.Day) []DayRow {
	var out []DayRow
	for i := len(days) - 1; i >= 0; i-- {
		d := days[i]
		if !quiet(d) {
			out = append(out, DayRow{Day: d})
			continue
		}
		if n := len(out); n > 0 && out[n-1].Quiet > 0 {
			out[n-1].Quiet++
			out[n-1].Day = d // the run now starts earlier
			continue
		}
		out = append(out, DayRow{Day: d, Quiet: 1, Last: d.Date})
	}
	return out
}

func quiet(d review.Day) bool {
	return d.Total() == 0 && d.Decided == 0 && d.Downloads == 0 && d.BreaksDue == 0 && d.Taken == 0 && d.CutShort == 0
}

// quietText says what a folded run is: "5 days without reveals (Mon 2 Nov – Fri 6 Nov)".
func quietText(r DayRow) string {
	if r.Quiet == 1 {
		return "No reveals on " + r.Day.Date.Format("Mon 2 Jan")
	}
	return fmt.Sprintf("%d days without reveals (%s – %s)", r.Quiet, r.Day.Date.Format("Mon 2 Jan"), r.Last.Format("Mon 2 Jan"))
}

// breakdown names the renditions behind a day's exposure.
func breakdown(d review.Day) string {
	var parts []string
	for _, s := range []struct{ step, name string }{
		{review.StepGrey, "grey"}, {review.StepColour, "colour"}, {review.StepSpotlight, "spotlight"}, {review.StepEXIF, "EXIF"},
	} {
		if v := d.Seconds[s.step]; v > 0 {
			parts = append(parts, s.name+" "+duration(v))
		}
	}
	return strings.Join(parts, " · ")
}

// breakLength says how long a break lasted. A break for a used-up budget
// is not a rest of so many hours: it is the rest of the day without
// reveals, and says so.
func breakLength(b review.Break, loc *time.Location) string {
	if b.Reason == review.BreakBudget {
		return "rest of the day from " + b.StartedAt.In(loc).Format("15:04")
	}
	return duration(b.End().Sub(b.StartedAt).Seconds())
}

// AxisLabel is a date under a chart, at x in the chart's units.
type AxisLabel struct {
	X      float64
	Text   string
	Anchor string // SVG text-anchor: the outer dates stay inside the chart
}

// axisLabels puts a date under the first bar and every seventh bar back
// from the last.
func axisLabels(days []review.Day, width float64) []AxisLabel {
	if len(days) == 0 {
		return nil
	}
	slot := width / float64(len(days))
	var out []AxisLabel
	for i := len(days) - 1; i >= 0; i -= 7 {
		out = append(out, AxisLabel{X: float64(i)*slot + slot/2, Text: days[i].Date.Format("2 Jan"), Anchor: "middle"})
	}
	out[0].X, out[0].Anchor = width, "end"
	if (len(days)-1)%7 > 2 {
		out = append(out, AxisLabel{X: 0, Text: days[0].Date.Format("2 Jan"), Anchor: "start"})
	}
	return out
}

// perReveal writes items decided per reveal, with one decimal.
func perReveal(d review.Day) string {
	r, ok := d.DecidedPerReveal()
	switch {
	case ok:
		return fmt.Sprintf("%.1f", r)
	case d.Verdicts > 0:
		return "no reveals"
	}
	return "–"
}

// perRevealNote is perReveal as a note under the decided count.
func perRevealNote(d review.Day) string {
	if _, ok := d.DecidedPerReveal(); ok {
		return perReveal(d) + " per reveal"
	}
	return perReveal(d)
}
