package components

import (
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// Runs of quiet days fold into one row each, newest first; a day with
// only a break is not quiet.
func TestDayRowsFoldQuietDays(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var days []review.Day
	for i := range 10 {
		d := review.Day{Date: start.AddDate(0, 0, i), Seconds: map[string]float64{}, BySeverity: map[string]float64{}}
		switch i {
		case 0, 9:
			d.Seconds[review.StepGrey] = 30
		case 4:
			d.Taken = 1
		}
		days = append(days, d)
	}
	rows := dayRows(days)
	var shape []int
	for _, r := range rows {
		shape = append(shape, r.Quiet)
	}
	if len(rows) != 5 || shape[0] != 0 || shape[1] != 4 || shape[2] != 0 || shape[3] != 3 || shape[4] != 0 {
		t.Fatalf("rows (quiet counts, newest first): %v", shape)
	}
	if got := quietText(rows[1]); got != "4 days without reveals (Fri 6 Nov – Mon 9 Nov)" {
		t.Errorf("quiet run reads %q", got)
	}
}
