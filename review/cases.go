package review

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// CaseStatus is where a report case stands.
type CaseStatus string

const (
	CaseOpen      CaseStatus = "open"      // gathering items; leads may edit, merge and split
	CaseApproved  CaseStatus = "approved"  // approved; the outbox is sending it
	CaseFinished  CaseStatus = "finished"  // the destination confirmed it (or the bundle was made)
	CaseFailed    CaseStatus = "failed"    // the destination refused it for good
	CaseRetracted CaseStatus = "retracted" // withdrawn before it finished
	CaseMerged    CaseStatus = "merged"    // its items moved to another case
)

// Report destinations.
const (
	DestinationCyberTipline = "cybertipline" // NCMEC's API
	DestinationBundle       = "bundle"       // a zip for a hotline or authority without an API
)

// Audit actions of reports.
const (
	ActionCaseOpened   = "report.case_opened"
	ActionCaseEdited   = "report.case_edited"
	ActionCaseApproved = "report.approved"
	ActionCaseMerged   = "report.merged"
	ActionCaseSplit    = "report.split"
	ActionCaseFinished = "report.finished"
	ActionCaseFailed   = "report.failed"
	ActionBundle       = "report.bundle_downloaded"
)

// Case is one report to one destination about one reported account: a
// reportable violating decision opens one, or joins the open case of the
// same account (source and uploader account id) and destination.
type Case struct {
	ID             int64
	SourceID       int64
	Source         string
	AccountID      string // the uploader's account id; "" when unknown
	Destination    string
	Status         CaseStatus
	IncidentType   string
	Escalation     string // why it is urgent; "" when not
	AdditionalInfo string
	ApprovedBy     int64
	Approver       string
	ApprovedAt     time.Time
	Environment    string // test or production, fixed at approval
	ReportID       int64  // the destination's report id once it gave one
	FinishedAt     time.Time
	Problem        string
	MergedInto     int64
	XML            string // the report document as sent
	Attempts       int
	NextAttemptAt  time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Items          []int64
}

// Editable reports whether leads may still change the case.
func (c Case) Editable() bool { return c.Status == CaseOpen }

// CaseFile is the progress of one file of a case at the destination.
type CaseFile struct {
	MediaID    string
	FileID     string
	UploadedAt time.Time
	InfoAt     time.Time
}

// Transmission is one request to a destination and its answer.
type Transmission struct {
	ID       int64
	CaseID   int64
	Step     string
	Request  string
	Status   int
	Response string
	Code     int
	Error    string
	At       time.Time
}

// CaseStore keeps report cases.
type CaseStore interface {
	FindCase(ctx context.Context, id int64) (Case, error)
	FindCases(ctx context.Context, status CaseStatus) ([]Case, error)
	FindCaseOfItem(ctx context.Context, itemID int64) (Case, error)
	UpdateCase(ctx context.Context, c Case, ev AuditEvent) error
	ApproveCase(ctx context.Context, id, userID int64, environment string, now time.Time, ev AuditEvent) error
	MergeCases(ctx context.Context, from, into int64, now time.Time, ev AuditEvent) error
	SplitItem(ctx context.Context, caseID, itemID int64, now time.Time, ev AuditEvent) (Case, error)
	FindCaseFiles(ctx context.Context, caseID int64) ([]CaseFile, error)
	FindTransmissions(ctx context.Context, caseID int64) ([]Transmission, error)
	// Deciders lists the people who decided any item of the case.
	Deciders(ctx context.Context, caseID int64) ([]int64, error)
}

// CanApprove says whether u may approve c: a lead who made none of its
// decisions, on an open case whose report has no problems.
func CanApprove(u User, c Case, deciders []int64, problems int) error {
	switch {
	case !u.Roles.Has(RoleLead):
		return fmt.Errorf("only a lead may approve a report: %w", ErrForbidden)
	case slices.Contains(deciders, u.ID):
		return fmt.Errorf("you decided an item of this case; another lead must approve it: %w", ErrForbidden)
	case c.Status != CaseOpen:
		return fmt.Errorf("case %d is %s, not open: %w", c.ID, c.Status, ErrConflict)
	case problems > 0:
		return fmt.Errorf("the report has %d missing or invalid fields; fix them first: %w", problems, ErrConflict)
	}
	return nil
}

// CaseTarget names a case in the audit log.
func CaseTarget(id int64) string { return fmt.Sprintf("case:%d", id) }
