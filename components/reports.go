package components

import (
	"fmt"
	"math"

	"github.com/a-h/templ"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/cybertip"
)

// ReportsProps is the list of report cases.
type ReportsProps struct {
	Page   Page
	Cases  []review.Case
	Status review.CaseStatus
}

// CaseProps is one case's page.
type CaseProps struct {
	Page          Page
	CSRF          string
	Case          review.Case
	Report        review.CaseReport
	SentXML       string // the document as sent, once it was
	Files         []review.CaseFile
	Transmissions []review.Transmission
	People        map[int64]string // user id -> email, for reveal records
	CannotApprove string           // why the visitor may not approve, if so
	Error         string
}

// ReportSettingsProps is the report and retention settings page.
type ReportSettingsProps struct {
	Page        Page
	CSRF        string
	Values      map[string]string
	Environment string
	Error       string
}

var reportFields = []struct{ key, label string }{
	{review.SettingReporterFirst, "Reporting person: first name"},
	{review.SettingReporterLast, "Reporting person: last name"},
	{review.SettingReporterEmail, "Reporting person: email"},
	{review.SettingReporterPhone, "Reporting person: phone (optional)"},
	{review.SettingCompany, "Company name (companyTemplate)"},
	{review.SettingService, "Service or product name (espService)"},
	{review.SettingTerms, "Terms of service (text or a link)"},
	{review.SettingLegalURL, "Legal or law-enforcement page URL (optional)"},
	{review.SettingDestination, "Destination of new cases"},
	{review.SettingRetentionNotViolating, "Retention: delete original media this many days after a not-violating decision (default 7)"},
	{review.SettingRetentionUnreported, "Retention: ... after a violating decision that was not reported (default 90)"},
	{review.SettingRetentionHold, "Legal hold after a report is finished, in days (default 365)"},
}

// destinations are the report destinations Loupe supports.
var destinations = []struct{ value, label string }{
	{review.DestinationCyberTipline, "NCMEC CyberTipline (sent through its API)"},
	{review.DestinationBundle, "Export bundle (a zip for a hotline or authority without an API)"},
}

func caseURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/reports/%d", id)) }

func caseStatusName(s review.CaseStatus) string {
	if s == "" {
		return "All"
	}
	return string(s)
}

// fileProgress says how far a file got at the destination.
func fileProgress(files []review.CaseFile, mediaID string) string {
	for _, f := range files {
		if f.MediaID == mediaID {
			if !f.InfoAt.IsZero() {
				return "file " + f.FileID + ", details sent"
			}
			return "file " + f.FileID + " uploaded"
		}
	}
	return "–"
}

// responseCode names a destination's response code.
func responseCode(code int) string {
	if code < 0 {
		return "–"
	}
	return fmt.Sprintf("%d %s", code, cybertip.Code(code))
}

// revealRecord is one ledger row behind a file's viewed flags.
func revealRecord(e review.Exposure, people map[int64]string) string {
	switch e.Rendition {
	case review.RenditionDownload:
		return fmt.Sprintf("downloaded in the export bundle by %s, %s", people[e.ReviewerID], when(e.StartedAt))
	case review.StepSpotlight:
		return fmt.Sprintf("spotlight of %d%% by %s, %s, %s s", int(math.Round(100*e.RegionFraction)), people[e.ReviewerID], when(e.StartedAt), num(e.Seconds))
	}
	return fmt.Sprintf("%s by %s, %s, %s s", e.Rendition, people[e.ReviewerID], when(e.StartedAt), num(e.Seconds))
}

// coverage says what a file's spotlights showed together.
func coverage(share float64) string {
	s := fmt.Sprintf("Spotlights showed %d%% of the image together: ", int(math.Round(100*share)))
	if share > review.ViewedCoverage {
		return s + "counted as a view"
	}
	return s + "not a view (more than half is)"
}

// viewedThrough finishes the note on a file decided with its cluster.
func viewedThrough(viewed bool) string {
	if viewed {
		return "; this file was revealed too"
	}
	return "; this file itself was not viewed"
}
