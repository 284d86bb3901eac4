package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// pathCase is the report case the route's {id} names.
func (s *Server) pathCase(r *http.Request) (review.Case, error) {
	id, err := pathID(r)
	if err != nil {
		return review.Case{}, err
	}
	return s.store.FindCase(r.Context(), id)
}

// reports lists report cases by status.
func (s *Server) reports(w http.ResponseWriter, r *http.Request) error {
	status := review.CaseStatus(r.URL.Query().Get("status"))
	cases, err := s.store.FindCases(r.Context(), status)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, components.Reports(components.ReportsProps{Page: s.page(r, "Reports"), Cases: cases, Status: status}))
	return nil
}

// casePage shows a case: its items, the report exactly as it would be
// sent, what is missing, the reveal records behind each file's viewed
// flags, and every request to the destination with its answer.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCase(w, r, http.StatusOK, "")
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, code int, problem string) error {
	ctx := r.Context()
	c, err := s.pathCase(r)
	if err != nil {
		return err
	}
	rep, err := s.reporting.Report(ctx, c)
	if err != nil {
		return err
	}
	p := components.CaseProps{Page: s.page(r, fmt.Sprintf("Case %d", c.ID)), CSRF: current(r).session.CSRFToken, Case: c, Report: rep, Error: problem}
	if c.Status != review.CaseOpen && c.XML != "" {
		p.SentXML = c.XML
	}
	deciders, err := s.store.Deciders(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := review.CanApprove(current(r).user, c, deciders, len(rep.Problems)); err != nil {
		_, p.CannotApprove = status(err)
	}
	if p.Files, err = s.store.FindCaseFiles(ctx, c.ID); err != nil {
		return err
	}
	if p.Transmissions, err = s.store.FindTransmissions(ctx, c.ID); err != nil {
		return err
	}
	if p.People, err = s.emails(r); err != nil {
		return err
	}
	s.render(w, r, code, components.CasePage(p))
	return nil
}

// emails maps user ids to emails, for reveal records.
func (s *Server) emails(r *http.Request) (map[int64]string, error) {
	users, err := s.store.FindUsers(r.Context())
	out := map[int64]string{}
	for _, u := range users {
		out[u.ID] = u.Email
	}
	return out, err
}

// caseFailed shows the case again with the problem, or fails the request.
func (s *Server) caseFailed(w http.ResponseWriter, r *http.Request, err error) error {
	var v *review.ValidationError
	if errors.As(err, &v) || errors.Is(err, review.ErrConflict) || errors.Is(err, review.ErrForbidden) {
		code, msg := status(err)
		return s.renderCase(w, r, code, msg)
	}
	return err
}

func (s *Server) backToCase(w http.ResponseWriter, r *http.Request, id int64) error {
	http.Redirect(w, r, "/reports/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// editCase saves the incident type, escalation and free text of an open case.
func (s *Server) editCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCase(r)
	if err != nil {
		return err
	}
	c.IncidentType, c.Escalation, c.AdditionalInfo = r.PostFormValue("incident_type"), r.PostFormValue("escalation"), r.PostFormValue("additional_info")
	if err := s.reporting.Edit(r.Context(), current(r).user, c); err != nil {
		return s.caseFailed(w, r, err)
	}
	return s.backToCase(w, r, c.ID)
}

// approveCase approves a complete case; the outbox then sends it.
func (s *Server) approveCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.reporting.Approve(r.Context(), current(r).user, id); err != nil {
		return s.caseFailed(w, r, err)
	}
	return s.backToCase(w, r, id)
}

// mergeCase moves this case's items into another open case.
func (s *Server) mergeCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCase(r)
	if err != nil {
		return err
	}
	into, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("into")), "#"), 10, 64)
	if err != nil {
		return s.caseFailed(w, r, review.Invalid("into", "give the number of the case to merge into"))
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionCaseMerged, Target: review.CaseTarget(c.ID), Details: map[string]string{"into": fmt.Sprint(into)}}
	if err := s.store.MergeCases(r.Context(), c.ID, into, s.now(), ev); err != nil {
		return s.caseFailed(w, r, err)
	}
	return s.backToCase(w, r, into)
}

// splitCase moves one item into a case of its own.
func (s *Server) splitCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCase(r)
	if err != nil {
		return err
	}
	item, err := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
	if err != nil {
		return s.caseFailed(w, r, review.Invalid("item", "choose an item"))
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionCaseSplit, Target: review.CaseTarget(c.ID)}
	split, err := s.store.SplitItem(r.Context(), c.ID, item, s.now(), ev)
	if err != nil {
		return s.caseFailed(w, r, err)
	}
	return s.backToCase(w, r, split.ID)
}

// caseBundle downloads a finished bundle case: the report XML, the
// original files and a manifest of hashes. It is a POST with the CSRF
// token, so no other site can start it; every download is audited and
// puts each original in the downloader's exposure ledger before a byte
// is sent.
func (s *Server) caseBundle(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCase(r)
	if err != nil {
		return err
	}
	if c.Destination != review.DestinationBundle || c.Status != review.CaseFinished {
		return fmt.Errorf("case %d is not a finished export bundle: %w", c.ID, review.ErrConflict)
	}
	rep, err := s.reporting.Report(r.Context(), c)
	if err != nil {
		return err
	}
	if c.XML != "" {
		rep.XML = []byte(c.XML) // exactly the document approved
	}
	u := current(r).user
	ev := review.AuditEvent{Actor: u.Email, Action: review.ActionBundle, Target: review.CaseTarget(c.ID), Details: map[string]string{"files": strconv.Itoa(len(rep.Files))}}
	if err := s.store.RecordDownload(r.Context(), review.Downloads(u, rep, s.now()), ev); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="loupe-case-%d.zip"`, c.ID))
	return review.WriteBundle(w, c, rep, func(mediaID string) ([]byte, error) {
		return s.ingester.Object(r.Context(), mediaID, review.KindOriginal)
	})
}

// reportSettings shows the organisation's report settings (admins).
func (s *Server) reportSettings(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportSettings(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderReportSettings(w http.ResponseWriter, r *http.Request, code int, problem string, values map[string]string) error {
	if values == nil {
		var err error
		if values, err = s.store.FindSettings(r.Context(), review.ReportSettingKeys); err != nil {
			return err
		}
	}
	s.render(w, r, code, components.ReportSettings(components.ReportSettingsProps{
		Page: s.page(r, "Report settings"), CSRF: current(r).session.CSRFToken, Values: values, Error: problem, Environment: s.reporting.Environment,
	}))
	return nil
}

// saveReportSettings stores the report settings, audited.
func (s *Server) saveReportSettings(w http.ResponseWriter, r *http.Request) error {
	values := map[string]string{}
	for _, k := range review.ReportSettingKeys {
		values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	if err := review.CheckReportSettings(values); err != nil {
		return s.renderReportSettings(w, r, http.StatusBadRequest, err.(*review.ValidationError).Message(), values)
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionSettingsSaved, Target: "report settings"}
	if err := s.store.SaveSettings(r.Context(), values, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/reporting", http.StatusSeeOther)
	return nil
}
