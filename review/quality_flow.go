package review

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// QualityStore keeps QA samples and the alerts they raise. Samples are
// created with their decision (DecisionRecord.QASample).
type QualityStore interface {
	// ClaimSample leases the next sample of a queue that userID may check
	// (settled, still final, not their own decision), or returns the one
	// they hold; ErrNotFound when there is none.
	ClaimSample(ctx context.Context, queueID, userID int64, now, until time.Time, ev AuditEvent) (int64, error)
	FindSample(ctx context.Context, id int64) (Sample, error)
	// RenewSample extends the lease on the open sample of an item the
	// person holds (ErrLeaseLost when they do not).
	RenewSample(ctx context.Context, itemID, userID int64, now, until time.Time) error
	ReleaseSample(ctx context.Context, id, userID int64, now time.Time, ev AuditEvent) error
	// JudgeSample records s's second look (QA fields and status) while the
	// reviewer holds it, closing their reveals of the item.
	JudgeSample(ctx context.Context, s Sample, now time.Time, ev AuditEvent) error
	// ResolveSample records a lead's verdict that upholds the original.
	ResolveSample(ctx context.Context, s Sample, ev AuditEvent) error
	FindSamples(ctx context.Context, f SampleFilter) ([]Sample, error)
	// FindAutomationSamples returns a queue's closed samples of automated
	// decisions made since QA last switched its automation off, newest
	// first, at most limit.
	FindAutomationSamples(ctx context.Context, queueID int64, limit int) ([]Sample, error)
	CreateQualityAlert(ctx context.Context, a QualityAlert, ev AuditEvent) error
	FindQualityAlerts(ctx context.Context, limit int) ([]QualityAlert, error)
	// CountClaimableSamples counts, up to upTo, a queue's samples userID
	// could claim at now.
	CountClaimableSamples(ctx context.Context, queueID, userID int64, now time.Time, upTo int) (int, error)
	SetQAPercent(ctx context.Context, queueID int64, percent int, ev AuditEvent) error
}

// SampleFilter selects samples: by status (empty: any) and since when
// they were sampled (zero: ever).
type SampleFilter struct {
	Status  SampleStatus
	QueueID int64
	Since   time.Time
	Limit   int
}

// Quality runs the blind second looks, the leads' verdicts on
// disagreements and the switch-off of automation that QA does not uphold.
type Quality struct {
	Store     QualityStore
	Reviewing *Reviewing
	// Automation switches a queue's automated decisions off (nil: alert
	// the leads only).
	Automation AutomationSwitch
}

// errNoSample is the one answer about a sample the person does not hold.
var errNoSample = fmt.Errorf("this quality check is not yours: it does not exist, someone else has it, or your hold on it ended: %w", ErrNotFound)

// Claim leases u the next sample of a queue they work in.
func (qa *Quality) Claim(ctx context.Context, u User, queueID int64) (int64, error) {
	r := qa.Reviewing
	q, err := r.Queues.FindQueue(ctx, queueID)
	if err != nil {
		return 0, err
	}
	ok, err := r.CanWork(ctx, u, q)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("you are not assigned to queue %s: %w", q.Name, ErrForbidden)
	}
	if r.Wellbeing != nil {
		if _, _, err := r.Wellbeing.Admit(ctx, u, q.ID, 0); err != nil {
			return 0, err
		}
	}
	now := r.Now()
	ev := AuditEvent{Actor: u.Email, Action: ActionSampleClaimed, Details: map[string]string{"queue": q.Name}}
	return qa.Store.ClaimSample(ctx, q.ID, u.ID, now, now.Add(r.LeaseFor), ev)
}

// Held returns the open sample u holds now, or an error that says nothing
// about anyone else's.
func (qa *Quality) Held(ctx context.Context, u User, id int64) (Sample, error) {
	s, err := qa.Store.FindSample(ctx, id)
	if err != nil || s.Status != SampleOpen || s.LeaseUser != u.ID || qa.Reviewing.Now().After(s.LeaseUntil) {
		return Sample{}, errNoSample
	}
	return s, nil
}

// Release hands a sample back.
func (qa *Quality) Release(ctx context.Context, u User, id int64) error {
	return qa.Store.ReleaseSample(ctx, id, u.ID, qa.Reviewing.Now(), AuditEvent{Actor: u.Email, Action: ActionSampleReleased, Target: sampleTarget(id)})
}

// Renew keeps u's hold on the sample of an item while its page is open.
func (qa *Quality) Renew(ctx context.Context, u User, itemID int64) error {
	now := qa.Reviewing.Now()
	return qa.Store.RenewSample(ctx, itemID, u.ID, now, now.Add(qa.Reviewing.LeaseFor))
}

// Judge records u's blind verdict on a sample they hold: agreement closes
// it, disagreement sends it to the leads.
func (qa *Quality) Judge(ctx context.Context, u User, id int64, l Label, note string) (Sample, error) {
	s, err := qa.Held(ctx, u, id)
	if err != nil {
		return Sample{}, err
	}
	if err := qa.validate(ctx, s, l, note); err != nil {
		return Sample{}, err
	}
	now := qa.Reviewing.Now()
	s.QA, s.QANote, s.QAReviewerID, s.QAReviewer, s.QAAt = l, strings.TrimSpace(note), u.ID, u.Email, now.UTC()
	s.Status = SampleDisputed
	if s.Agrees() {
		s.Status = SampleAgreed
	}
	ev := AuditEvent{Actor: u.Email, Action: ActionSampleJudged, Target: sampleTarget(id),
		Details: map[string]string{"item": strconv.FormatInt(s.ItemID, 10), "status": string(s.Status)}}
	if err := qa.Store.JudgeSample(ctx, s, now, ev); err != nil {
		return Sample{}, err
	}
	return s, qa.afterClose(ctx, s)
}

// Resolve records a lead's final verdict on a disputed sample. One that
// differs from the original decision is an override, with the callback,
// case and retraction any override has, committed with the resolution.
func (qa *Quality) Resolve(ctx context.Context, lead User, id int64, l Label, note string) (Sample, error) {
	if !lead.Roles.Has(RoleLead) {
		return Sample{}, fmt.Errorf("only a lead may settle a disagreement: %w", ErrForbidden)
	}
	s, err := qa.Store.FindSample(ctx, id)
	if err != nil {
		return Sample{}, err
	}
	if s.Status != SampleDisputed {
		return Sample{}, fmt.Errorf("sample %d has no disagreement to settle: %w", id, ErrConflict)
	}
	if err := qa.validate(ctx, s, l, note); err != nil {
		return Sample{}, err
	}
	s.Final, s.LeadNote, s.LeadID, s.Lead, s.Status = l, strings.TrimSpace(note), lead.ID, lead.Email, SampleResolved
	s.ResolvedAt = qa.Reviewing.Now().UTC()
	if l == s.Original {
		ev := AuditEvent{Actor: lead.Email, Action: ActionSampleResolved, Target: sampleTarget(id),
			Details: map[string]string{"item": strconv.FormatInt(s.ItemID, 10), "upheld": "true", "note": s.LeadNote}}
		if err := qa.Store.ResolveSample(ctx, s, ev); err != nil {
			return Sample{}, err
		}
	} else {
		d := Decision{Kind: KindOverride, Verdict: l.Verdict, Category: l.Category, Note: s.LeadNote}
		saved, _, err := qa.Reviewing.decide(ctx, lead, s.ItemID, d, s.ID)
		if err != nil {
			return Sample{}, err
		}
		s.OverrideID = saved.ID
	}
	return s, qa.afterClose(ctx, s)
}

func (qa *Quality) validate(ctx context.Context, s Sample, l Label, note string) error {
	q, err := qa.Reviewing.Queues.FindQueue(ctx, s.QueueID)
	if err != nil {
		return err
	}
	if err := l.Validate(q); err != nil {
		return err
	}
	if len(note) > 2000 {
		return Invalid("note", "must be at most 2000 bytes")
	}
	return nil
}

// afterClose checks automation once a sample of an automated decision is
// closed.
func (qa *Quality) afterClose(ctx context.Context, s Sample) error {
	if !s.Status.Closed() || s.Source != SourceAutomated {
		return nil
	}
	return qa.CheckAutomation(ctx, s.QueueID)
}

// CheckAutomation switches a queue's automation off, and alerts the
// leads, when QA does not uphold enough of its latest decisions.
func (qa *Quality) CheckAutomation(ctx context.Context, queueID int64) error {
	closed, err := qa.Store.FindAutomationSamples(ctx, queueID, AutomationWindow)
	if err != nil {
		return err
	}
	a, failing := AutomationFailing(closed)
	if !failing {
		return nil
	}
	reason := fmt.Sprintf("QA upheld %d of the last %d automated decisions it checked (%s), below %.0f%%.",
		a.Agreed, a.Count, a.RateText(), 100*AutomationMinAgreement)
	text := "Automation switched off: " + reason
	if qa.Automation == nil {
		text = "Switch automation off: " + reason
	} else if err := qa.Automation.DisableAutomation(ctx, queueID, reason); err != nil {
		return err
	}
	ev := AuditEvent{Actor: "loupe", Action: ActionAutomationOff, Target: "queue:" + strconv.FormatInt(queueID, 10), Details: map[string]string{"reason": reason}}
	return qa.Store.CreateQualityAlert(ctx, QualityAlert{QueueID: queueID, Text: text, CreatedAt: qa.Reviewing.Now().UTC()}, ev)
}

// SetPercent changes the share of a queue's final decisions sampled.
func (qa *Quality) SetPercent(ctx context.Context, lead User, queueID int64, percent int) error {
	if err := ValidateQAPercent(percent); err != nil {
		return err
	}
	ev := AuditEvent{Actor: lead.Email, Action: ActionQASettings, Target: "queue:" + strconv.FormatInt(queueID, 10),
		Details: map[string]string{"qa_percent": strconv.Itoa(percent)}}
	return qa.Store.SetQAPercent(ctx, queueID, percent, ev)
}

func sampleTarget(id int64) string { return "qa_sample:" + strconv.FormatInt(id, 10) }
