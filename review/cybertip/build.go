package cybertip

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// BuildReport turns in into the <report> document and lists every problem
// with it, files included, so a reviewer can fix them all before anything
// is sent: NCMEC discards a report left unfinished, and submit, upload,
// fileinfo and finish are retried as a unit. The Report is returned even
// when there are problems, for preview; it must not be submitted then.
// now is the reference for "not in the future".
func BuildReport(in ReportInput, now time.Time) (Report, []Problem) {
	var ps problems
	r := Report{
		IncidentSummary: buildSummary(in, now, &ps),
		Reporter:        buildReporter(in.Org, &ps),
		AdditionalInfo:  in.AdditionalInfo,
	}
	// The schema's documentation asks for at least one internetDetails;
	// Loupe's content always lives at platform URLs.
	if len(in.URLs) == 0 {
		ps.add("URLs", "at least one URL where the content appeared is required")
	} else {
		for i, u := range in.URLs {
			ps.required(fmt.Sprintf("URLs[%d]", i), u)
			ps.url(fmt.Sprintf("URLs[%d]", i), u)
		}
		r.InternetDetails = []InternetDetails{{WebPage: &WebPageIncident{URLs: slices.Clone(in.URLs)}}}
	}
	if in.Reported != nil {
		r.Reported = buildReported(*in.Reported, in.Org.Service, now, &ps)
	}
	if len(in.Files) == 0 {
		ps.add("Files", "a report needs at least one file")
	}
	for i, f := range in.Files {
		buildFile(fmt.Sprintf("Files[%d].", i), f, in.Taxonomy, now, &ps)
	}
	return r, ps
}

func buildSummary(in ReportInput, now time.Time, ps *problems) IncidentSummary {
	s := IncidentSummary{
		IncidentType:                in.IncidentType,
		Platform:                    in.Org.Service,
		EscalateToHighPriority:      strings.TrimSpace(in.Escalation),
		IncidentDateTime:            in.IncidentTime.UTC(),
		IncidentDateTimeDescription: in.IncidentTimeDescription,
	}
	switch {
	case in.IncidentType == "":
		ps.add("IncidentType", "is required")
	case !in.IncidentType.Valid():
		ps.add("IncidentType", "%q is not an incident type the schema knows", in.IncidentType)
	}
	if in.IncidentTime.IsZero() {
		ps.add("IncidentTime", "is required")
	}
	ps.notFuture("IncidentTime", in.IncidentTime, now)
	if in.Annotations.any() {
		a := in.Annotations
		s.ReportAnnotations = &a
	}
	return s
}

func buildReporter(org Organisation, ps *problems) Reporter {
	p := org.Reporter
	ps.required("Org.Reporter.FirstName", p.FirstName)
	ps.required("Org.Reporter.LastName", p.LastName)
	ps.required("Org.Reporter.Email", p.Email)
	ps.email("Org.Reporter.Email", p.Email)
	ps.url("Org.LegalURL", org.LegalURL)
	r := Reporter{
		ReportingPerson: person(p),
		CompanyTemplate: org.CompanyTemplate,
		TermsOfService:  org.TermsOfService,
		LegalURL:        org.LegalURL,
	}
	if c := org.LawEnforcementContact; c != nil {
		if c.Email == "" && c.Phone == "" {
			ps.add("Org.LawEnforcementContact", "needs an email or a phone number")
		}
		ps.email("Org.LawEnforcementContact.Email", c.Email)
		cp := person(*c)
		r.ContactPerson = &cp
	}
	return r
}

func person(c Contact) Person {
	p := Person{FirstName: c.FirstName, LastName: c.LastName}
	if c.Phone != "" {
		p.Phones = []string{c.Phone}
	}
	if c.Email != "" {
		p.Emails = []string{c.Email}
	}
	return p
}
