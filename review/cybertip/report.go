package cybertip

import (
	"encoding/xml"
	"fmt"
	"time"
)

// Report is the <report> document posted to /submit. Fields are in schema
// order because encoding/xml writes them in declaration order and the
// schema's xs:sequence rejects anything else. Report-level elements Loupe
// does not fill (batchedReport, lawEnforcement, intendedRecipient, victim)
// are left out.
type Report struct {
	XMLName         xml.Name              `xml:"report"`
	IncidentSummary IncidentSummary       `xml:"incidentSummary"`
	InternetDetails []InternetDetails     `xml:"internetDetails"`
	Reporter        Reporter              `xml:"reporter"`
	Reported        *PersonOrUserReported `xml:"personOrUserReported,omitempty"`
	AdditionalInfo  string                `xml:"additionalInfo,omitempty"`
}

// IncidentSummary is <incidentSummary>: what happened and when.
type IncidentSummary struct {
	IncidentType IncidentType `xml:"incidentType"`
	// Platform is the application where the content occurred.
	Platform string `xml:"platform,omitempty"`
	// EscalateToHighPriority holds the reason for escalating; any text at
	// all asks NCMEC to treat the report as urgent, so it stays empty
	// unless a child is at immediate risk.
	EscalateToHighPriority string             `xml:"escalateToHighPriority,omitempty"`
	ReportAnnotations      *ReportAnnotations `xml:"reportAnnotations,omitempty"`
	IncidentDateTime       time.Time          `xml:"incidentDateTime"`
	// IncidentDateTimeDescription says what IncidentDateTime is the time
	// of (for example "upload of the first reported file").
	IncidentDateTimeDescription string `xml:"incidentDateTimeDescription,omitempty"`
}

// ReportAnnotations is <reportAnnotations>, tags describing the incident.
// The schema fixes each element to true, so a tag that does not apply is
// absent rather than false: omitempty does exactly that.
type ReportAnnotations struct {
	Sextortion                 bool `xml:"sextortion,omitempty"`
	CSAMSolicitation           bool `xml:"csamSolicitation,omitempty"`
	MinorToMinorInteraction    bool `xml:"minorToMinorInteraction,omitempty"`
	Spam                       bool `xml:"spam,omitempty"`
	SadisticOnlineExploitation bool `xml:"sadisticOnlineExploitation,omitempty"`
}

// any reports whether at least one tag is set; an empty
// <reportAnnotations/> says nothing, so it is left out.
func (a ReportAnnotations) any() bool { return a != ReportAnnotations{} }

// InternetDetails is <internetDetails>, a choice of incident kinds of which
// Loupe only fills webPageIncident: its content lives at URLs on the
// platform.
type InternetDetails struct {
	WebPage *WebPageIncident `xml:"webPageIncident,omitempty"`
}

// WebPageIncident is <webPageIncident>: the URLs where the content was.
type WebPageIncident struct {
	URLs []string `xml:"url"`
}

// XML returns the report as sent to /submit: an XML declaration and the
// indented document.
func (r Report) XML() ([]byte, error) { return document(r, "report") }

// document marshals v with the XML header, as every NCMEC request body is.
func document(v any, name string) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cybertip: marshal %s: %w", name, err)
	}
	out := make([]byte, 0, len(xml.Header)+len(b)+1)
	out = append(out, xml.Header...)
	out = append(out, b...)
	return append(out, '\n'), nil
}
