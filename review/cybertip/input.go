package cybertip

import "time"

// ReportInput is everything a report needs, as plain values gathered from
// the organisation's settings, the reviewer's decision, the platform's
// ingest metadata and the exposure ledger. BuildReport turns it into a
// Report and says what is missing.
type ReportInput struct {
	Org          Organisation
	IncidentType IncidentType
	// IncidentTime is when the incident happened; it must not be in the
	// future.
	IncidentTime            time.Time
	IncidentTimeDescription string
	// Escalation is the reason to treat the report as urgent; empty means
	// not escalated.
	Escalation  string
	Annotations ReportAnnotations
	// URLs are where the content appeared; at least one is required.
	URLs []string
	// Reported is the account the report is about; nil when unknown.
	Reported *Account
	Files    []FileInput
	// AdditionalInfo is free text for anything no other field covers.
	AdditionalInfo string
	// Taxonomy maps FileInput.Classification labels; nil is the default.
	Taxonomy Taxonomy
}

// Organisation is the provider's standing configuration for reports.
type Organisation struct {
	// Reporter is the person submitting; first name, last name and email
	// are required.
	Reporter Contact
	// LawEnforcementContact is whom law enforcement should call, when not
	// the reporter.
	LawEnforcementContact *Contact
	// Service is the product's name, used as both the incident's platform
	// and the reported account's espService.
	Service         string
	CompanyTemplate string
	TermsOfService  string
	LegalURL        string
}

// Contact is a person at the provider.
type Contact struct {
	FirstName string
	LastName  string
	Email     string
	Phone     string
}

// Account is the reported account as the platform knows it.
type Account struct {
	ESPIdentifier string
	ScreenName    string
	DisplayNames  []string
	ProfileURLs   []string
	Emails        []string
	IPEvents      []IPEvent
	Devices       []Device
	Location      *Location
	// PriorReports are NCMEC report ids of earlier reports on the account.
	PriorReports []int64
}

// IPEvent is an IP address the account used.
type IPEvent struct {
	Address       string
	Event         CaptureEvent // optional
	At            time.Time    // zero when unknown
	Port          int          // 0 when unknown
	PossibleProxy bool
}

// Device is a device identifier the account used.
type Device struct {
	Type  string // for example "IMEI" or "IDFA"
	Value string
	Event CaptureEvent // optional
	At    time.Time    // zero when unknown
}

// Location is the provider's estimate of where the account holder is.
type Location struct {
	City        string
	Region      string
	CountryCode string    // ISO 3166 alpha-2
	Verified    bool      // the provider confirmed it beyond geolocation
	At          time.Time // zero when unknown
}

// FileInput is one file of the report.
type FileInput struct {
	OriginalName string
	UploadedAt   time.Time // zero when unknown
	// UploadIP is the address the platform says the file was uploaded
	// from, and UploadIPAt the time it gave with it (zero when it gave
	// none); both optional. Only what the platform said: an address the
	// account used at some other time is an Account.IPEvents entry.
	UploadIP   string
	UploadIPAt time.Time
	Location   string // URL of the file on the platform; optional
	// ViewedByESP and EXIFViewedByESP must come from the exposure ledger:
	// true only when it records a reviewer revealing the original (or its
	// EXIF). A blurred preview is not a view.
	ViewedByESP     bool
	EXIFViewedByESP bool
	// PubliclyAvailable is nil when the platform does not know.
	PubliclyAvailable *bool
	Relevance         Relevance // empty means Reported
	// Classification is a Taxonomy label; empty sends none.
	Classification string
	Annotations    FileAnnotations
	// Hashes of the bytes as uploaded; at least one is required.
	Hashes         []Hash
	AdditionalInfo string
}
