package review

import (
	"context"
	"fmt"
	"time"
)

// Alert is a pattern in a person's figures that wellbeing staff should
// look at. Its key names the pattern and the day it began, so that an
// acknowledgement stays with it while the pattern lasts.
type Alert struct {
	Key  string
	Text string
	Ack  *AlertAck // nil until acknowledged
}

// AlertAck is wellbeing staff's acknowledgement of an alert, with their
// follow-up note. Only wellbeing staff see the note.
type AlertAck struct {
	UserID int64
	Key    string
	Note   string
	By     string
	At     time.Time
}

// ActionAlertAcknowledged audits an acknowledgement (never its note).
const ActionAlertAcknowledged = "wellbeing.alert_acknowledged"

// MaxAckNote caps a follow-up note.
const MaxAckNote = 2000

// AlertStore keeps acknowledgements.
type AlertStore interface {
	// FindAlertAcks returns one person's acknowledgements (everyone's
	// when userID is 0), by person and key.
	FindAlertAcks(ctx context.Context, userID int64) (map[int64]map[string]AlertAck, error)
	AckAlert(ctx context.Context, a AlertAck, ev AuditEvent) error
}

// Acknowledge attaches acknowledgements to the person's alerts.
func (p *Person) Acknowledge(acks map[string]AlertAck) {
	for i, a := range p.Alerts {
		if ack, ok := acks[a.Key]; ok {
			p.Alerts[i].Ack = &ack
		}
	}
}

// Open is the alerts not yet acknowledged.
func (p Person) Open() []Alert {
	var out []Alert
	for _, a := range p.Alerts {
		if a.Ack == nil {
			out = append(out, a)
		}
	}
	return out
}

// alerts are the patterns wellbeing staff should look at: the warning
// share of the budget used three days running in the last week, a spike
// in severe exposure on the latest day worked, and step-away breaks
// repeatedly cut short.
func alerts(p Person) []Alert {
	var out []Alert
	if run, from := warnRun(p); run >= 3 {
		out = append(out, Alert{Key: "budget-run:" + dateKey(from), Text: fmt.Sprintf("At or above %d%% of the exposure budget %d working days running this week.", p.Limits[LimitWarnPercent], run)})
	}
	if latest := lastWorked(p.Days); latest > 0 {
		today := p.Days[latest].BySeverity[SeveritySevere]
		var before float64
		for _, d := range p.Days[:latest] {
			before += d.BySeverity[SeveritySevere]
		}
		mean := before / float64(latest)
		if today >= 60 && today >= 2*mean {
			out = append(out, Alert{Key: "severe-spike:" + dateKey(p.Days[latest].Date), Text: fmt.Sprintf("Severe exposure on %s (%.0f s) was more than twice the daily average before it (%.0f s).", p.Days[latest].Date.Format("Mon 2 Jan"), today, mean)})
		}
	}
	if week := p.Sum(7); week.CutShort >= 3 {
		var last time.Time
		for _, d := range p.Days[max(0, len(p.Days)-7):] {
			if d.CutShort > 0 {
				last = d.Date
			}
		}
		out = append(out, Alert{Key: "cut-short:" + dateKey(last), Text: fmt.Sprintf("%d step-away breaks cut short in the last 7 days.", week.CutShort)})
	}
	return out
}

func dateKey(t time.Time) string { return t.Format("2006-01-02") }

// warnRun is the longest run of consecutive working days in the last 7 at
// or above the warning share of the budget, and the day it began; days
// without any exposure (days off) neither count nor break a run.
func warnRun(p Person) (int, time.Time) {
	if p.Limits[LimitDailyBudget] == 0 {
		return 0, time.Time{}
	}
	warn := float64(p.Limits[LimitWarnPercent]) / 100
	best, run := 0, 0
	var from, bestFrom time.Time
	for _, d := range p.Days[max(0, len(p.Days)-7):] {
		switch {
		case d.Total() == 0:
			continue
		case d.Budget > 0 && d.Weighted >= warn*float64(d.Budget):
			if run == 0 {
				from = d.Date
			}
			run++
			if run > best {
				best, bestFrom = run, from
			}
		default:
			run = 0
		}
	}
	return best, bestFrom
}

// lastWorked is the index of the latest day with any exposure (0 when
// none, or only the first).
func lastWorked(days []Day) int {
	for i := len(days) - 1; i > 0; i-- {
		if days[i].Total() > 0 {
			return i
		}
	}
	return 0
}
