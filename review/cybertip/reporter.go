package cybertip

// Reporter is <reporter>: who at the provider sends the report and the
// text the provider attaches to every report.
type Reporter struct {
	ReportingPerson Person `xml:"reportingPerson"`
	// ContactPerson is whom law enforcement should contact, when that is
	// not the reporting person.
	ContactPerson   *Person `xml:"contactPerson,omitempty"`
	CompanyTemplate string  `xml:"companyTemplate,omitempty"`
	TermsOfService  string  `xml:"termsOfService,omitempty"`
	LegalURL        string  `xml:"legalURL,omitempty"`
}

// Person is the part of the schema's person and contactPerson types Loupe
// fills. The two types share these first four elements in the same order,
// so one Go type serves reportingPerson, contactPerson and
// personOrUserReportedPerson.
type Person struct {
	FirstName string   `xml:"firstName,omitempty"`
	LastName  string   `xml:"lastName,omitempty"`
	Phones    []string `xml:"phone"`
	Emails    []string `xml:"email"`
}
