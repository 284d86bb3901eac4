package review

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
)

// ReportingStore is what reporting reads and writes.
type ReportingStore interface {
	CaseStore
	ItemStore
	FindDecisions(ctx context.Context, itemID int64) ([]Decision, error)
	FindExposures(ctx context.Context, itemID int64) ([]Exposure, error)
	FindSettings(ctx context.Context, keys []string) (map[string]string, error)
	FindQueue(ctx context.Context, id int64) (Queue, error)
}

// Reporting turns cases into reports and records who approved them.
type Reporting struct {
	Store ReportingStore
	Now   func() time.Time
	// Environment is the CyberTipline endpoint in use: "test" or
	// "production" (from configuration, never from the database).
	Environment string
}

// Evidence gathers a case's items, final decisions and ledger rows.
func (r *Reporting) Evidence(ctx context.Context, c Case) (CaseEvidence, error) {
	ev := CaseEvidence{Decisions: map[int64]Decision{}, Exposures: map[int64][]Exposure{}}
	for _, id := range c.Items {
		it, err := r.Store.FindItemByID(ctx, id)
		if err != nil {
			return ev, err
		}
		ev.Items = append(ev.Items, it)
		ds, err := r.Store.FindDecisions(ctx, id)
		if err != nil {
			return ev, err
		}
		if i := slices.IndexFunc(ds, func(d Decision) bool { return d.Final }); i >= 0 {
			ev.Decisions[id] = ds[i]
		}
		if ev.Exposures[id], err = r.Store.FindExposures(ctx, id); err != nil {
			return ev, err
		}
	}
	return ev, nil
}

// Report builds a case's report as it stands now.
func (r *Reporting) Report(ctx context.Context, c Case) (CaseReport, error) {
	settings, err := r.Store.FindSettings(ctx, ReportSettingKeys)
	if err != nil {
		return CaseReport{}, err
	}
	ev, err := r.Evidence(ctx, c)
	if err != nil {
		return CaseReport{}, err
	}
	return BuildCaseReport(c, settings, ev, r.Now()), nil
}

// Edit saves what a lead may change on an open case.
func (r *Reporting) Edit(ctx context.Context, u User, c Case) error {
	var v ValidationError
	if !cybertip.IncidentType(c.IncidentType).Valid() {
		v.Add("incident_type", "choose an incident type from the list")
	}
	if len(c.Escalation) > 2000 || len(c.AdditionalInfo) > 20000 {
		v.Add("additional_info", "is too long")
	}
	if err := v.Err(); err != nil {
		return err
	}
	c.Escalation, c.AdditionalInfo = strings.TrimSpace(c.Escalation), strings.TrimSpace(c.AdditionalInfo)
	return r.Store.UpdateCase(ctx, c, AuditEvent{Actor: u.Email, Action: ActionCaseEdited, Target: CaseTarget(c.ID),
		Details: map[string]string{"incident_type": c.IncidentType, "escalation": c.Escalation}})
}

// Approve records a lead's approval of an open case whose report is
// complete; the approver may not have decided any of its items. The
// outbox then sends it.
func (r *Reporting) Approve(ctx context.Context, u User, id int64) error {
	c, err := r.Store.FindCase(ctx, id)
	if err != nil {
		return err
	}
	deciders, err := r.Store.Deciders(ctx, id)
	if err != nil {
		return err
	}
	rep, err := r.Report(ctx, c)
	if err != nil {
		return err
	}
	if err := CanApprove(u, c, deciders, len(rep.Problems)); err != nil {
		return err
	}
	if err := r.checkViews(ctx, rep); err != nil {
		return err
	}
	env := r.Environment
	if c.Destination == DestinationBundle {
		env = ""
	}
	ev := AuditEvent{Actor: u.Email, Action: ActionCaseApproved, Target: CaseTarget(id), Details: map[string]string{
		"destination": c.Destination, "environment": env, "items": fmt.Sprint(len(c.Items)),
	}}
	return r.Store.ApproveCase(ctx, id, u.ID, env, r.Now(), ev)
}

// checkViews refuses a report with a file nobody viewed whose item's queue
// requires a view of every file.
func (r *Reporting) checkViews(ctx context.Context, rep CaseReport) error {
	var queue string
	var files []string
	for _, f := range rep.Files {
		if f.Viewed {
			continue
		}
		it, err := r.Store.FindItemByID(ctx, f.ItemID)
		if err != nil {
			return err
		}
		q, err := r.Store.FindQueue(ctx, it.QueueID)
		if err != nil {
			return err
		}
		if q.RequireViewForReport {
			queue = q.Name
			m, _ := it.MediaByID(f.MediaID)
			files = append(files, fileName(it.ID, m))
		}
	}
	if len(files) > 0 {
		return errUnviewed(queue, files)
	}
	return nil
}
