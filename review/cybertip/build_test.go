package cybertip

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// All test data is synthetic: example.org names, documentation IP ranges
// (192.0.2.0/24, 2001:db8::/32) and made-up hashes.
var testNow = time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)

// exampleInput is a complete, valid report with one file.
func exampleInput() ReportInput {
	return ReportInput{
		Org: Organisation{
			Reporter:        Contact{FirstName: "Alex", LastName: "Example", Email: "trust@example.org"},
			Service:         "Example Platform",
			CompanyTemplate: "Example Platform keeps account records for 90 days. Serve legal process at legal@example.org.",
			LegalURL:        "https://example.org/legal",
		},
		IncidentType: ChildPornography,
		IncidentTime: testNow.Add(-48 * time.Hour),
		URLs:         []string{"https://example.org/p/1001"},
		Reported: &Account{
			ESPIdentifier: "user-4242",
			ScreenName:    "example_user",
			DisplayNames:  []string{"Example User"},
			ProfileURLs:   []string{"https://example.org/u/example_user"},
			Emails:        []string{"user4242@example.org"},
			IPEvents: []IPEvent{
				{Address: "192.0.2.10", Event: EventLogin, At: testNow.Add(-50 * time.Hour), Port: 51234},
			},
		},
		Files: []FileInput{exampleFile(1)},
	}
}

func exampleFile(n int) FileInput {
	return FileInput{
		OriginalName:   fmt.Sprintf("IMG_%04d.jpg", n),
		UploadedAt:     testNow.Add(-48 * time.Hour),
		UploadIP:       "192.0.2.10",
		UploadIPAt:     testNow.Add(-47 * time.Hour),
		Location:       fmt.Sprintf("https://example.org/media/%d", n),
		ViewedByESP:    true,
		Classification: "B2",
		Hashes: []Hash{
			{Type: "MD5", Value: fmt.Sprintf("%032x", n)},
			{Type: "SHA256", Value: fmt.Sprintf("%064x", n)},
		},
	}
}

// assertOneProblem fails unless ps is exactly one problem, on field.
func assertOneProblem(t *testing.T, ps []Problem, field string) {
	t.Helper()
	if len(ps) != 1 || ps[0].Field != field {
		t.Errorf("problems = %v, want exactly one on %s", ps, field)
	}
}

func TestBuildReportValidInputHasNoProblems(t *testing.T) {
	if _, ps := BuildReport(exampleInput(), testNow); len(ps) != 0 {
		t.Errorf("problems = %v, want none", ps)
	}
}

func TestBuildReportProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*ReportInput)
		field string
	}{
		{"no reporter email", func(in *ReportInput) { in.Org.Reporter.Email = "" }, "Org.Reporter.Email"},
		{"reporter email not an address", func(in *ReportInput) { in.Org.Reporter.Email = "trust at example.org" }, "Org.Reporter.Email"},
		{"reporter email with display name", func(in *ReportInput) { in.Org.Reporter.Email = "Alex <trust@example.org>" }, "Org.Reporter.Email"},
		{"no reporter first name", func(in *ReportInput) { in.Org.Reporter.FirstName = "" }, "Org.Reporter.FirstName"},
		{"no reporter last name", func(in *ReportInput) { in.Org.Reporter.LastName = "" }, "Org.Reporter.LastName"},
		{"legal URL not http", func(in *ReportInput) { in.Org.LegalURL = "ftp://example.org/legal" }, "Org.LegalURL"},
		{"law-enforcement contact unreachable", func(in *ReportInput) {
			in.Org.LawEnforcementContact = &Contact{FirstName: "Sam"}
		}, "Org.LawEnforcementContact"},
		{"law-enforcement contact bad email", func(in *ReportInput) {
			in.Org.LawEnforcementContact = &Contact{Email: "legal@"}
		}, "Org.LawEnforcementContact.Email"},
		{"no incident type", func(in *ReportInput) { in.IncidentType = "" }, "IncidentType"},
		{"unknown incident type", func(in *ReportInput) { in.IncidentType = "Spam" }, "IncidentType"},
		{"no incident time", func(in *ReportInput) { in.IncidentTime = time.Time{} }, "IncidentTime"},
		{"incident time in the future", func(in *ReportInput) { in.IncidentTime = testNow.Add(time.Second) }, "IncidentTime"},
		{"no URLs", func(in *ReportInput) { in.URLs = nil }, "URLs"},
		{"relative URL", func(in *ReportInput) { in.URLs = []string{"/p/1001"} }, "URLs[0]"},
		{"empty URL", func(in *ReportInput) { in.URLs = []string{"https://example.org/p/1", ""} }, "URLs[1]"},
		{"no files", func(in *ReportInput) { in.Files = nil }, "Files"},
		{"second file without hashes", func(in *ReportInput) {
			f := exampleFile(2)
			f.Hashes = nil
			in.Files = append(in.Files, f)
		}, "Files[1].Hashes"},
		{"unknown classification", func(in *ReportInput) { in.Files[0].Classification = "C3" }, "Files[0].Classification"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := exampleInput()
			tc.edit(&in)
			_, ps := BuildReport(in, testNow)
			assertOneProblem(t, ps, tc.field)
		})
	}
}

func TestBuildReportFillsSummaryAndReporter(t *testing.T) {
	in := exampleInput()
	in.IncidentTime = time.Date(2025, 11, 18, 7, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
	in.Escalation = "  "
	in.Org.LawEnforcementContact = &Contact{FirstName: "Sam", LastName: "Legal", Phone: "+1 555 0100"}
	r, ps := BuildReport(in, testNow)
	if len(ps) != 0 {
		t.Fatalf("problems = %v", ps)
	}
	s := r.IncidentSummary
	if s.Platform != "Example Platform" || r.Reported.ESPService != "Example Platform" {
		t.Errorf("platform %q, espService %q: want the organisation's service in both", s.Platform, r.Reported.ESPService)
	}
	if want := time.Date(2025, 11, 18, 12, 0, 0, 0, time.UTC); s.IncidentDateTime != want {
		t.Errorf("incidentDateTime = %v, want %v (UTC)", s.IncidentDateTime, want)
	}
	if s.EscalateToHighPriority != "" {
		t.Errorf("blank escalation reason escalated: %q", s.EscalateToHighPriority)
	}
	if s.ReportAnnotations != nil {
		t.Errorf("no tags set but reportAnnotations = %+v", s.ReportAnnotations)
	}
	if got := r.Reporter.ReportingPerson.Emails; len(got) != 1 || got[0] != "trust@example.org" {
		t.Errorf("reporting person emails = %v", got)
	}
	if c := r.Reporter.ContactPerson; c == nil || len(c.Phones) != 1 || len(c.Emails) != 0 {
		t.Errorf("contact person = %+v, want one phone and no email", c)
	}
	if len(r.InternetDetails) != 1 || r.InternetDetails[0].WebPage == nil || r.InternetDetails[0].WebPage.URLs[0] != in.URLs[0] {
		t.Errorf("internetDetails = %+v, want one webPageIncident with the URLs", r.InternetDetails)
	}
}

func TestBuildReportEscalationAndAnnotations(t *testing.T) {
	in := exampleInput()
	in.Escalation = "The account says a meeting with a child is planned for tonight."
	in.Annotations = ReportAnnotations{Sextortion: true}
	r, _ := BuildReport(in, testNow)
	data, err := r.XML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<escalateToHighPriority>The account says a meeting",
		"<reportAnnotations>\n      <sextortion>true</sextortion>\n    </reportAnnotations>",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("report lacks %q:\n%s", want, data)
		}
	}
}

func TestBuildReportWithoutReportedAccount(t *testing.T) {
	in := exampleInput()
	in.Reported = nil
	r, ps := BuildReport(in, testNow)
	if len(ps) != 0 {
		t.Fatalf("problems = %v", ps)
	}
	data, err := r.XML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "personOrUserReported") {
		t.Errorf("unknown account produced an element:\n%s", data)
	}
}
