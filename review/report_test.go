package review

import (
	"strings"
	"testing"
	"time"
)

func TestBuildPersonFoldsHoursIntoLocalDays(t *testing.T) {
	u := User{ID: 7, Email: "ana@example.org"}
	l := DefaultLimits.Merge(Limits{LimitDailyBudget: 100})
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	// UTC+2: 23:00 UTC on the 25th is already the 26th there.
	loc := time.FixedZone("UTC+2", 2*3600)
	led := Ledger{
		Exposures: []ExposureBucket{
			{UserID: 7, Hour: time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC), Rendition: StepColour, Severity: SeveritySevere, Seconds: 30, Reveals: 3},
			{UserID: 7, Hour: time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC), Rendition: StepGrey, Severity: SeverityOther, Seconds: 40, Reveals: 4},
			{UserID: 7, Hour: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), Rendition: StepSpotlight, Severity: SeverityUndecided, Seconds: 10, FractionSeconds: 2.5, Reveals: 1},
			{UserID: 8, Hour: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), Rendition: StepColour, Seconds: 99},
			{UserID: 7, Hour: time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC), Rendition: RenditionDownload, Severity: SeveritySevere, Reveals: 2},
		},
		Decisions: []DecisionBucket{{UserID: 7, Hour: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Count: 5}},
		Breaks: []Break{
			{ID: 1, UserID: 7, Reason: BreakContinuous, StartedAt: now.Add(-3 * time.Hour), EndsAt: now.Add(-2 * time.Hour)},
			{ID: 2, UserID: 7, Reason: BreakStepAway, StartedAt: now.Add(-time.Hour), EndsAt: now.Add(-50 * time.Minute), EndedAt: now.Add(-58 * time.Minute)},
		},
	}
	p := BuildPerson(u, l, led, 30, now, loc)
	if len(p.Days) != 30 || !p.Days[29].Date.Equal(time.Date(2026, 11, 26, 0, 0, 0, 0, loc)) {
		t.Fatalf("%d days, the last is %v", len(p.Days), p.Days[len(p.Days)-1].Date)
	}
	today, yesterday := p.Days[29], p.Days[28]
	if today.Seconds[StepColour] != 30 || today.Seconds[StepSpotlight] != 10 || yesterday.Seconds[StepGrey] != 40 {
		t.Errorf("today %v, yesterday %v", today.Seconds, yesterday.Seconds)
	}
	if today.Weighted != 60+5 || today.BySeverity[SeveritySevere] != 30 || today.Reveals != 4 || today.Decided != 5 {
		t.Errorf("today: weighted %v, severe %v, reveals %d, decided %d", today.Weighted, today.BySeverity[SeveritySevere], today.Reveals, today.Decided)
	}
	if today.Downloads != 2 || len(today.Seconds) != 2 {
		t.Errorf("today: %d originals downloaded, seconds %v; want 2 downloads counted apart from the reveals", today.Downloads, today.Seconds)
	}
	if today.BreaksDue != 1 || today.Taken != 1 || today.CutShort != 1 {
		t.Errorf("breaks today: due %d, taken %d, cut short %d", today.BreaksDue, today.Taken, today.CutShort)
	}
	if week := p.Sum(7); week.Total() != 80 || week.Budget != 700 {
		t.Errorf("7-day sum: %v s, budget %d", week.Total(), week.Budget)
	}
	team := TeamDays([]Person{p, BuildPerson(User{ID: 8}, l, led, 30, now, loc)})
	if team[29].Seconds[StepColour] != 129 {
		t.Errorf("team colour today = %v, want 129", team[29].Seconds[StepColour])
	}
}

func TestAlerts(t *testing.T) {
	u := User{ID: 1}
	l := DefaultLimits.Merge(Limits{LimitDailyBudget: 100, LimitWarnPercent: 80})
	now := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	day := func(daysAgo int, rendition, severity string, secs float64) ExposureBucket {
		return ExposureBucket{UserID: 1, Hour: time.Date(2026, 11, 26-daysAgo, 10, 0, 0, 0, time.UTC), Rendition: rendition, Severity: severity, Seconds: secs}
	}
	quiet := Ledger{Exposures: []ExposureBucket{day(5, StepGrey, SeveritySevere, 20), day(4, StepGrey, SeveritySevere, 20)}}
	if a := BuildPerson(u, l, quiet, 30, now, time.UTC).Alerts; len(a) != 0 {
		t.Errorf("quiet days raised %+v", a)
	}
	// 85, 90, 80 weighted seconds of a 100 budget three days running.
	heavy := Ledger{Exposures: []ExposureBucket{day(4, StepGrey, SeverityOther, 85), day(3, StepGrey, SeverityOther, 90), day(2, StepGrey, SeverityOther, 80), day(1, StepGrey, SeverityOther, 10)}}
	if a := BuildPerson(u, l, heavy, 30, now, time.UTC).Alerts; len(a) != 1 || !strings.Contains(a[0].Text, "3 working days running") {
		t.Errorf("three heavy days: %+v", a)
	}
	// A day of 90 severe seconds after days of 20.
	spike := Ledger{Exposures: append(quiet.Exposures, day(1, StepGrey, SeveritySevere, 90))}
	if a := BuildPerson(u, l, spike, 30, now, time.UTC).Alerts; len(a) != 1 || !strings.Contains(a[0].Text, "Severe exposure on") {
		t.Errorf("severe spike: %+v", a)
	}
	var cut Ledger
	for i := range 3 {
		start := now.Add(-time.Duration(i+1) * 24 * time.Hour)
		cut.Breaks = append(cut.Breaks, Break{ID: int64(i + 1), UserID: 1, Reason: BreakStepAway, StartedAt: start, EndsAt: start.Add(15 * time.Minute), EndedAt: start.Add(time.Minute)})
	}
	if a := BuildPerson(u, l, cut, 30, now, time.UTC).Alerts; len(a) != 1 || !strings.Contains(a[0].Text, "3 step-away breaks cut short") {
		t.Errorf("breaks cut short: %+v", a)
	}
}

// An alert's key stays the same while its pattern lasts, so an
// acknowledgement sticks to it; a new pattern is a new alert.
func TestAlertKeysAndAcknowledgements(t *testing.T) {
	u := User{ID: 1, Email: "a@example.org"}
	l := DefaultLimits.Merge(Limits{LimitDailyBudget: 100})
	now := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	ledger := func(days int) Ledger {
		var led Ledger
		for i := range days {
			led.Exposures = append(led.Exposures, ExposureBucket{UserID: 1, Hour: now.AddDate(0, 0, -i).Add(-time.Hour), Rendition: StepGrey, Severity: SeverityOther, Seconds: 90})
		}
		return led
	}
	three := BuildPerson(u, l, ledger(3), 30, now, time.UTC)
	four := BuildPerson(u, l, ledger(4), 30, now.Add(time.Minute), time.UTC)
	if len(three.Alerts) != 1 || three.Alerts[0].Key != "budget-run:2026-11-24" {
		t.Fatalf("alerts: %+v", three.Alerts)
	}
	if len(four.Alerts) != 1 || four.Alerts[0].Key != "budget-run:2026-11-23" {
		t.Errorf("a longer run started earlier: %+v", four.Alerts)
	}
	three.Acknowledge(map[string]AlertAck{"budget-run:2026-11-24": {Note: "talked, fine"}})
	if three.Alerts[0].Ack == nil || three.Alerts[0].Ack.Note != "talked, fine" || len(three.Open()) != 0 {
		t.Errorf("acknowledged: %+v, open %d", three.Alerts[0], len(three.Open()))
	}
}
