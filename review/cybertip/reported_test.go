package cybertip

import (
	"encoding/xml"
	"testing"
	"time"
)

// Optional elements and attributes of the account's types disappear when
// unset rather than turning into zero values NCMEC would read as data.
func TestReportedTypesOmitUnset(t *testing.T) {
	at := time.Date(2025, 11, 18, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"bare IP", IPCaptureEvent{IPAddress: "192.0.2.1"}, `<IPCaptureEvent><ipAddress>192.0.2.1</ipAddress></IPCaptureEvent>`},
		{"IP with time", IPCaptureEvent{IPAddress: "192.0.2.1", DateTime: &at},
			`<IPCaptureEvent><ipAddress>192.0.2.1</ipAddress><dateTime>2025-11-18T10:00:00Z</dateTime></IPCaptureEvent>`},
		{"location, no attributes", EstimatedLocation{CountryCode: "US"}, `<EstimatedLocation><countryCode>US</countryCode></EstimatedLocation>`},
		{"location, verified at", EstimatedLocation{City: "Springfield", Verified: true, Timestamp: &at},
			`<EstimatedLocation verified="true" timestamp="2025-11-18T10:00:00Z"><city>Springfield</city></EstimatedLocation>`},
		{"account with one id", PersonOrUserReported{ESPIdentifier: "user-1"},
			`<PersonOrUserReported><espIdentifier>user-1</espIdentifier></PersonOrUserReported>`},
	} {
		got, err := xml.Marshal(tc.v)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if string(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
