package review

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
	"github.com/loupe-review/loupe/review/ncmec"
)

// CyberTipline is NCMEC's API as the sender drives it (ncmec.Client).
type CyberTipline interface {
	Submit(ctx context.Context, reportXML []byte) (int64, ncmec.Exchange)
	Upload(ctx context.Context, reportID int64, fileName string, data []byte) (string, ncmec.Exchange)
	FileInfo(ctx context.Context, fileDetailsXML []byte) ncmec.Exchange
	Finish(ctx context.Context, reportID int64) ncmec.Exchange
	Retract(ctx context.Context, reportID int64) ncmec.Exchange
}

// SenderStore keeps the report outbox's progress on each case.
type SenderStore interface {
	DueCases(ctx context.Context, now time.Time) ([]Case, error)
	RecordTransmission(ctx context.Context, t Transmission) error
	SetReportID(ctx context.Context, caseID, reportID int64, xml string) error
	FindCaseFiles(ctx context.Context, caseID int64) ([]CaseFile, error)
	SetFileUploaded(ctx context.Context, caseID int64, mediaID, fileID string, at time.Time) error
	SetFileInfo(ctx context.Context, caseID int64, mediaID string, at time.Time) error
	ResetCase(ctx context.Context, caseID int64) error
	RetryCase(ctx context.Context, caseID int64, attempts int, next time.Time, problem string) error
	FailCase(ctx context.Context, caseID int64, problem string, ev AuditEvent) error
	FinishCase(ctx context.Context, caseID int64, now, holdUntil time.Time, xml string, ev AuditEvent) error
}

// ReportSender is the report outbox: it drives each approved case through
// its destination's steps, recording the report id before any upload and
// every request and answer, so that a restart resumes where it stopped
// and a case never yields two finished reports.
type ReportSender struct {
	Store     SenderStore
	Reporting *Reporting
	// NCMEC is nil when no CyberTipline endpoint is configured; its cases
	// then wait.
	NCMEC CyberTipline
	// Original returns a media's original bytes.
	Original func(ctx context.Context, mediaID string) ([]byte, error)
	// HoldFor is how long a finished report's items are held.
	HoldFor func(ctx context.Context) time.Duration
	Now     func() time.Time
	Log     *slog.Logger
}

// RunOnce sends every due case as far as it goes and returns how many
// finished.
func (s *ReportSender) RunOnce(ctx context.Context) (int, error) {
	cases, err := s.Store.DueCases(ctx, s.Now())
	if err != nil {
		return 0, err
	}
	done := 0
	for _, c := range cases {
		finished, err := s.send(ctx, c)
		if err != nil {
			return done, fmt.Errorf("case %d: %w", c.ID, err)
		}
		if finished {
			done++
		}
	}
	return done, nil
}

func (s *ReportSender) send(ctx context.Context, c Case) (bool, error) {
	rep, err := s.Reporting.Report(ctx, c)
	if err != nil {
		return false, err
	}
	if len(rep.Problems) > 0 {
		return false, s.Store.FailCase(ctx, c.ID, "the report is no longer complete: "+rep.Problems[0].String(), s.event(c, ActionCaseFailed))
	}
	if c.Destination == DestinationBundle {
		return true, s.finish(ctx, c, string(rep.XML))
	}
	if s.NCMEC == nil {
		return false, s.Store.RetryCase(ctx, c.ID, c.Attempts, s.Now().Add(time.Hour), "no CyberTipline endpoint is configured (--ncmec-url)")
	}
	return s.sendNCMEC(ctx, c, rep)
}

// sendNCMEC runs submit, upload and fileinfo per file, and finish, each
// step recorded before the next.
func (s *ReportSender) sendNCMEC(ctx context.Context, c Case, rep CaseReport) (bool, error) {
	if c.ReportID == 0 {
		id, x := s.NCMEC.Submit(ctx, rep.XML)
		if err := s.record(ctx, c, x); err != nil || !x.OK() {
			return false, s.failed(ctx, c, x, err)
		}
		if err := s.Store.SetReportID(ctx, c.ID, id, string(rep.XML)); err != nil {
			return false, err
		}
		c.ReportID = id
	}
	files, err := s.Store.FindCaseFiles(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for i, f := range rep.Files {
		progress := CaseFile{MediaID: f.MediaID}
		if j := slices.IndexFunc(files, func(p CaseFile) bool { return p.MediaID == f.MediaID }); j >= 0 {
			progress = files[j]
		}
		if progress.FileID == "" {
			data, err := s.Original(ctx, f.MediaID)
			if err != nil {
				return false, err
			}
			id, x := s.NCMEC.Upload(ctx, c.ReportID, orName(f.FileName, f.MediaID), data)
			if err := s.record(ctx, c, x); err != nil || !x.OK() {
				return false, s.failed(ctx, c, x, err)
			}
			progress.FileID = id
			if err := s.Store.SetFileUploaded(ctx, c.ID, f.MediaID, id, s.Now()); err != nil {
				return false, err
			}
		}
		if progress.InfoAt.IsZero() {
			details, problems := cybertip.BuildFileDetails(c.ReportID, progress.FileID, rep.Input.Files[i], nil, s.Now())
			if len(problems) > 0 {
				return false, s.Store.FailCase(ctx, c.ID, "file details: "+problems[0].String(), s.event(c, ActionCaseFailed))
			}
			doc, err := details.XML()
			if err != nil {
				return false, err
			}
			x := s.NCMEC.FileInfo(ctx, doc)
			if err := s.record(ctx, c, x); err != nil || !x.OK() {
				return false, s.failed(ctx, c, x, err)
			}
			if err := s.Store.SetFileInfo(ctx, c.ID, f.MediaID, s.Now()); err != nil {
				return false, err
			}
		}
	}
	x := s.NCMEC.Finish(ctx, c.ReportID)
	if err := s.record(ctx, c, x); err != nil {
		return false, err
	}
	if !x.OK() && x.Code != cybertip.CodeAlreadyFinished { // already finished: an earlier finish went through
		return false, s.failed(ctx, c, x, nil)
	}
	return true, s.finish(ctx, c, "")
}

// failed handles a step NCMEC did not accept: a report it discarded
// starts again from submit, a failure that may pass is retried with
// backoff, anything else fails the case for a person to look at (and a
// report left unfinished at NCMEC is retracted).
func (s *ReportSender) failed(ctx context.Context, c Case, x ncmec.Exchange, err error) error {
	if err != nil {
		return err
	}
	problem := fmt.Sprintf("%s: %v", x.Step, x.Err)
	switch {
	case x.Code == cybertip.CodeNoSuchReport && c.ReportID != 0:
		if err := s.Store.ResetCase(ctx, c.ID); err != nil {
			return err
		}
		return s.Store.RetryCase(ctx, c.ID, c.Attempts+1, s.Now().Add(Backoff(c.Attempts+1)), problem+"; starting again")
	case x.Retryable():
		return s.Store.RetryCase(ctx, c.ID, c.Attempts+1, s.Now().Add(Backoff(c.Attempts+1)), problem)
	}
	if c.ReportID != 0 {
		if err := s.record(ctx, c, s.NCMEC.Retract(ctx, c.ReportID)); err != nil {
			return err
		}
	}
	if s.Log != nil {
		s.Log.Warn("report refused", "case", c.ID, "step", x.Step, "code", int(x.Code), "err", x.Err)
	}
	return s.Store.FailCase(ctx, c.ID, problem, s.event(c, ActionCaseFailed))
}

// finish marks the case finished and holds its items.
func (s *ReportSender) finish(ctx context.Context, c Case, xml string) error {
	now := s.Now()
	return s.Store.FinishCase(ctx, c.ID, now, now.Add(s.HoldFor(ctx)), xml, s.event(c, ActionCaseFinished))
}

func (s *ReportSender) record(ctx context.Context, c Case, x ncmec.Exchange) error {
	t := Transmission{CaseID: c.ID, Step: x.Step, Request: x.Request, Status: x.Status, Response: x.Response, Code: int(x.Code), At: s.Now()}
	if x.Err != nil {
		t.Error = x.Err.Error()
	}
	return s.Store.RecordTransmission(ctx, t)
}

func (s *ReportSender) event(c Case, action string) AuditEvent {
	return AuditEvent{Actor: "loupe", Action: action, Target: CaseTarget(c.ID), Details: map[string]string{"destination": c.Destination, "report_id": fmt.Sprint(c.ReportID)}}
}

func orName(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}
