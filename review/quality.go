package review

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// Quality sampling: a share of each queue's final decisions (human,
// cluster and automated alike) is looked at again, blind, by a second
// reviewer; a lead settles disagreements.

// DefaultQAPercent is a new queue's share of final decisions sampled.
const DefaultQAPercent = 5

// Automation is checked over its latest closed samples: below
// AutomationMinAgreement over the last AutomationWindow (counting from
// AutomationMinSamples on) switches it off. Constants, not queue settings:
// a lead who wants automation less trusted turns it off; nobody should be
// able to make it more trusted than this.
const (
	AutomationWindow       = 200
	AutomationMinAgreement = 0.95
	AutomationMinSamples   = 20
)

// SampleStatus is where a QA sample stands.
type SampleStatus string

const (
	SampleOpen     SampleStatus = "open"     // waits for a blind second look
	SampleAgreed   SampleStatus = "agreed"   // the second look agreed: closed
	SampleDisputed SampleStatus = "disputed" // they disagree: waits for a lead
	SampleResolved SampleStatus = "resolved" // a lead's verdict is final: closed
)

// Closed reports whether nothing more happens to a sample.
func (s SampleStatus) Closed() bool { return s == SampleAgreed || s == SampleResolved }

// Label is what a decision says, as QA compares it: the verdict, and the
// category when violating.
type Label struct {
	Verdict  Verdict
	Category string
}

// LabelOf is the label of a verdict and category (the category counts
// only for violating verdicts).
func LabelOf(v Verdict, category string) Label {
	if v != Violating {
		category = ""
	}
	return Label{Verdict: v, Category: category}
}

// String names the label in tables and exports: "not_violating" or
// "violating:A1".
func (l Label) String() string {
	if l.Verdict == Violating {
		return string(l.Verdict) + ":" + l.Category
	}
	return string(l.Verdict)
}

// Validate checks a QA or lead verdict against the queue: violating with
// one of its categories, or not violating.
func (l Label) Validate(q Queue) error {
	switch l.Verdict {
	case Violating:
		if _, ok := q.Category(l.Category); !ok {
			return Invalid("category", "Choose a category from the queue's list.")
		}
	case NotViolating:
	default:
		return Invalid("verdict", "Choose violating or not violating.")
	}
	return nil
}

// Sample is one final decision taken for a blind second look.
type Sample struct {
	ID         int64
	DecisionID int64
	ItemID     int64
	QueueID    int64
	Source     string // SourceHuman, SourceCluster or SourceAutomated
	// DecidedBy made the sampled decision (for automated ones, the lead
	// who configured it): never the one who checks it.
	DecidedBy      int64
	DecidedByEmail string
	Original       Label // never shown to the QA reviewer
	Status         SampleStatus
	SampledAt      time.Time
	LeaseUser      int64
	LeaseUntil     time.Time

	QAReviewerID int64
	QAReviewer   string
	QA           Label
	QANote       string
	QAAt         time.Time

	LeadID     int64
	Lead       string
	Final      Label // the lead's verdict on a resolved sample
	LeadNote   string
	ResolvedAt time.Time
	// OverrideID is the override the lead's verdict recorded (0: the lead
	// upheld the original decision).
	OverrideID int64
}

// Agrees reports whether the second look agreed with the original.
func (s Sample) Agrees() bool { return s.QA == s.Original }

// Upheld reports whether a closed sample left the original decision
// standing: the second look agreed, or the lead sided with it.
func (s Sample) Upheld() bool {
	if s.Status == SampleResolved {
		return s.Final == s.Original
	}
	return s.Status == SampleAgreed
}

// Sampled draws whether a final decision goes to QA: percent in 100, from
// random (crypto/rand in production, a seeded source in tests).
func Sampled(percent int, random io.Reader) (bool, error) {
	if percent <= 0 {
		return false, nil
	}
	if percent >= 100 {
		return true, nil
	}
	var b [8]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return false, fmt.Errorf("review: draw a QA sample: %w", err)
	}
	return binary.BigEndian.Uint64(b[:])%100 < uint64(percent), nil
}

// ValidateQAPercent checks a queue's sampling share.
func ValidateQAPercent(percent int) error {
	if percent < 0 || percent > 100 {
		return Invalid("qa_percent", "must be between 0 and 100")
	}
	return nil
}

// AutomationSwitch turns a queue's automated decisions off (the store of
// the automation settings implements it).
type AutomationSwitch interface {
	DisableAutomation(ctx context.Context, queueID int64, reason string) error
}

// QualityAlert tells the leads that QA switched a queue's automation off.
type QualityAlert struct {
	ID        int64
	QueueID   int64
	Queue     string
	Text      string
	CreatedAt time.Time
}

// Audit actions of quality checks.
const (
	ActionSampleClaimed  = "qa.claimed"
	ActionSampleReleased = "qa.released"
	ActionSampleJudged   = "qa.judged"
	ActionSampleResolved = "qa.resolved"
	ActionAutomationOff  = "qa.automation_off"
	ActionQASettings     = "queue.qa_settings"
	ActionQAExport       = "qa.export"
)
