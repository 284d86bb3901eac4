package cybertip

import "time"

// PersonOrUserReported is <personOrUserReported>: the account the report
// is about, as the platform knows it.
type PersonOrUserReported struct {
	// Person carries the account's email addresses: the schema has no
	// email element of its own on personOrUserReported.
	Person        *Person `xml:"personOrUserReportedPerson,omitempty"`
	ESPIdentifier string  `xml:"espIdentifier,omitempty"`
	// ESPService is the provider's product the account used.
	ESPService      string           `xml:"espService,omitempty"`
	ScreenName      string           `xml:"screenName,omitempty"`
	DisplayNames    []string         `xml:"displayName"`
	ProfileURLs     []string         `xml:"profileUrl"`
	IPCaptureEvents []IPCaptureEvent `xml:"ipCaptureEvent"`
	DeviceIDs       []DeviceID       `xml:"deviceId"`
	// PriorCTReports are ids of earlier CyberTipline reports on the same
	// account, so NCMEC can link them.
	PriorCTReports    []int64            `xml:"priorCTReports"`
	EstimatedLocation *EstimatedLocation `xml:"estimatedLocation,omitempty"`
}

// IPCaptureEvent is the schema's ipCaptureEvent: an address the account
// used and when. Without the time (and, behind carrier-grade NAT, the
// port) an ISP cannot say who held the address.
type IPCaptureEvent struct {
	IPAddress     string       `xml:"ipAddress"`
	EventName     CaptureEvent `xml:"eventName,omitempty"`
	DateTime      *time.Time   `xml:"dateTime,omitempty"`
	PossibleProxy bool         `xml:"possibleProxy,omitempty"`
	Port          int          `xml:"port,omitempty"`
}

// DeviceID is the schema's deviceId: a device identifier the account used.
type DeviceID struct {
	IDType    string       `xml:"idType"`
	IDValue   string       `xml:"idValue"`
	EventName CaptureEvent `xml:"eventName,omitempty"`
	DateTime  *time.Time   `xml:"dateTime,omitempty"`
}

// EstimatedLocation is the schema's estimatedLocation: where the provider
// believes the account holder is (typically from IP geolocation).
type EstimatedLocation struct {
	City        string     `xml:"city,omitempty"`
	Region      string     `xml:"region,omitempty"`
	CountryCode string     `xml:"countryCode,omitempty"`
	Verified    bool       `xml:"verified,attr,omitempty"`
	Timestamp   *time.Time `xml:"timestamp,attr,omitempty"`
}
