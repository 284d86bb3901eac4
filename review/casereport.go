package review

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
)

// Settings keys of the organisation's report settings.
const (
	SettingReporterFirst = "report.reporter_first_name"
	SettingReporterLast  = "report.reporter_last_name"
	SettingReporterEmail = "report.reporter_email"
	SettingReporterPhone = "report.reporter_phone"
	SettingCompany       = "report.company"
	SettingService       = "report.service"
	SettingTerms         = "report.terms_of_service"
	SettingLegalURL      = "report.legal_url"
	SettingDestination   = "report.destination" // for new cases: cybertipline or bundle
	DefaultIncidentType  = string(cybertip.ChildPornography)
)

// ReportSettingKeys lists the report and retention settings in form order.
var ReportSettingKeys = []string{
	SettingReporterFirst, SettingReporterLast, SettingReporterEmail, SettingReporterPhone,
	SettingCompany, SettingService, SettingTerms, SettingLegalURL, SettingDestination,
	SettingRetentionNotViolating, SettingRetentionUnreported, SettingRetentionHold,
}

// CaseEvidence is what a case's report is built from: its items with
// their final decisions and the exposure ledger of their media.
type CaseEvidence struct {
	Items     []Item
	Decisions map[int64]Decision   // item id -> final decision
	Exposures map[int64][]Exposure // item id -> its ledger rows
}

// FileViews is the ledger behind one file's viewed flags.
type FileViews struct {
	MediaID string
	ItemID  int64
	Viewed  bool
	EXIF    bool
	// Coverage is the share of the image the file's spotlights showed
	// together, by anyone.
	Coverage float64
	Reveals  []Exposure
	FileName string
	// ContentType is the type sniffed from the bytes at ingest.
	ContentType string
	// ClusterItemID is the representative the item's final decision was
	// made through (0: none); unless revealed itself, the file was not
	// viewed.
	ClusterItemID int64
}

// ViewsOf reads one file's viewed flags from its item's ledger rows.
func ViewsOf(exposures []Exposure, itemID int64, med Media) FileViews {
	views := FileViews{MediaID: med.ID, ItemID: itemID, FileName: med.FileName, ContentType: med.ContentType}
	for _, e := range exposures {
		if e.MediaID != med.ID {
			continue
		}
		views.Reveals = append(views.Reveals, e)
		views.Viewed = views.Viewed || e.Rendition == StepGrey || e.Rendition == StepColour
		views.EXIF = views.EXIF || e.Rendition == StepEXIF
	}
	views.Coverage = SpotlightCoverage(views.Reveals, med.ID, med.Width, med.Height)
	views.Viewed = views.Viewed || views.Coverage > ViewedCoverage
	return views
}

// CaseReport is a case's report as it would be sent.
type CaseReport struct {
	Input    cybertip.ReportInput
	Files    []FileViews // one per Input.Files, same order
	XML      []byte
	Problems []cybertip.Problem
}

// BuildCaseReport gathers a case's report from the organisation's
// settings, the platform's metadata and the decisions. Whether a person
// viewed each file comes from the exposure ledger only: a greyscale or
// colour reveal of the whole image is a view of the file, and so are
// spotlights that together showed most of it (more than ViewedCoverage,
// whoever revealed them: the question is whether a person at the provider
// saw the file); an EXIF reveal is a view of its EXIF. Fewer spotlights,
// the blurred preview, or a download in an export bundle are not views.
func BuildCaseReport(c Case, settings map[string]string, ev CaseEvidence, now time.Time) CaseReport {
	in := cybertip.ReportInput{
		Org: cybertip.Organisation{
			Reporter: cybertip.Contact{
				FirstName: settings[SettingReporterFirst], LastName: settings[SettingReporterLast],
				Email: settings[SettingReporterEmail], Phone: settings[SettingReporterPhone],
			},
			Service: settings[SettingService], CompanyTemplate: settings[SettingCompany],
			TermsOfService: settings[SettingTerms], LegalURL: settings[SettingLegalURL],
		},
		IncidentType:   cybertip.IncidentType(c.IncidentType),
		Escalation:     c.Escalation,
		AdditionalInfo: c.AdditionalInfo,
	}
	var out CaseReport
	for _, it := range ev.Items {
		m := it.Metadata
		uploaded := parseRFC3339(m.UploadedAt)
		if t := firstOf(uploaded, it.ReceivedAt); in.IncidentTime.IsZero() || t.Before(in.IncidentTime) {
			in.IncidentTime = t
		}
		if m.ContentURL != "" && !slices.Contains(in.URLs, m.ContentURL) {
			in.URLs = append(in.URLs, m.ContentURL)
		}
		if u := m.Uploader; u != nil {
			in.Reported = mergeAccount(in.Reported, u)
		}
		d := ev.Decisions[it.ID]
		for i, med := range it.Media {
			f := cybertip.FileInput{
				OriginalName: med.FileName, UploadedAt: uploaded, Location: m.ContentURL,
				Classification: classification(d.Category), Annotations: fileAnnotations(d.Annotations),
				Hashes: []cybertip.Hash{{Type: "SHA256", Value: med.SHA256}, {Type: "MD5", Value: med.MD5}},
			}
			if m.Context != nil {
				f.PubliclyAvailable = m.Context.Public
			}
			if i < len(m.Media) {
				f.UploadIP, f.UploadIPAt = m.Media[i].UploadIP, parseRFC3339(m.Media[i].UploadIPTime)
			}
			views := ViewsOf(ev.Exposures[it.ID], it.ID, med)
			views.ClusterItemID = d.ClusterItemID
			f.ViewedByESP, f.EXIFViewedByESP = views.Viewed, views.EXIF
			in.Files = append(in.Files, f)
			out.Files = append(out.Files, views)
		}
	}
	report, problems := cybertip.BuildReport(in, now)
	out.Input, out.Problems = in, problems
	out.XML, _ = report.XML()
	return out
}

// mergeAccount adds what one item knows of the uploader to the account.
func mergeAccount(a *cybertip.Account, u *Uploader) *cybertip.Account {
	if a == nil {
		a = &cybertip.Account{ESPIdentifier: u.AccountID, ScreenName: u.ScreenName}
	}
	add := func(list []string, v string) []string {
		if v == "" || slices.Contains(list, v) {
			return list
		}
		return append(list, v)
	}
	a.DisplayNames = add(a.DisplayNames, u.DisplayName)
	a.ProfileURLs = add(a.ProfileURLs, u.ProfileURL)
	a.Emails = add(a.Emails, u.Email)
	if u.IP != "" && !slices.ContainsFunc(a.IPEvents, func(e cybertip.IPEvent) bool { return e.Address == u.IP }) {
		a.IPEvents = append(a.IPEvents, cybertip.IPEvent{Address: u.IP, At: parseRFC3339(u.IPEventTime)})
	}
	return a
}

// classification maps a queue category to the industry scale; a local
// category without an equivalent (such as "other") sends none.
func classification(category string) string {
	if _, ok := cybertip.DefaultTaxonomy().Classify(category); ok {
		return category
	}
	return ""
}

// fileAnnotations turns a decision's annotation codes into the schema's.
func fileAnnotations(codes []string) cybertip.FileAnnotations {
	var a cybertip.FileAnnotations
	flags := map[string]*bool{
		"animeDrawingVirtualHentai": &a.AnimeDrawingVirtualHentai, "potentialMeme": &a.PotentialMeme, "viral": &a.Viral,
		"possibleSelfProduction": &a.PossibleSelfProduction, "physicalHarm": &a.PhysicalHarm, "violenceGore": &a.ViolenceGore,
		"bestiality": &a.Bestiality, "liveStreaming": &a.LiveStreaming, "infant": &a.Infant, "generativeAi": &a.GenerativeAI,
	}
	for _, c := range codes {
		if p, ok := flags[c]; ok {
			*p = true
		}
	}
	return a
}

func parseRFC3339(s string) time.Time {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

func firstOf(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// CheckReportSettings validates the report settings form.
func CheckReportSettings(values map[string]string) error {
	var v ValidationError
	if e := values[SettingReporterEmail]; e != "" && ValidateEmail(e) != nil {
		v.Add(SettingReporterEmail, "must be an email address")
	}
	for _, k := range []string{SettingLegalURL} {
		if u := values[k]; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			v.Add(k, "must be a web address")
		}
	}
	if d := values[SettingDestination]; d != "" && d != DestinationCyberTipline && d != DestinationBundle {
		v.Add(SettingDestination, "must be cybertipline or bundle")
	}
	var bad *ValidationError
	if _, err := LoadRetention(context.Background(), settingsMap(values)); errors.As(err, &bad) {
		for f, p := range bad.Problems {
			v.Add(f, p)
		}
	}
	return v.Err()
}

// settingsMap reads settings from a map.
type settingsMap map[string]string

func (m settingsMap) Setting(_ context.Context, key string) (string, error) { return m[key], nil }
