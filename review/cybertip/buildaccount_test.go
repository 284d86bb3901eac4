package cybertip

import (
	"testing"
	"time"
)

func TestBuildReportAccountProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Account)
		field string
	}{
		{"IP not an address", func(a *Account) { a.IPEvents[0].Address = "192.0.2.300" }, "Reported.IPEvents[0].Address"},
		{"IP missing", func(a *Account) { a.IPEvents[0].Address = "" }, "Reported.IPEvents[0].Address"},
		{"unknown capture event", func(a *Account) { a.IPEvents[0].Event = "Logout" }, "Reported.IPEvents[0].Event"},
		{"IP time in the future", func(a *Account) { a.IPEvents[0].At = testNow.Add(time.Hour) }, "Reported.IPEvents[0].At"},
		{"port out of range", func(a *Account) { a.IPEvents[0].Port = 70000 }, "Reported.IPEvents[0].Port"},
		{"device without type", func(a *Account) { a.Devices = []Device{{Value: "35-209900-176148-1"}} }, "Reported.Devices[0].Type"},
		{"device without value", func(a *Account) { a.Devices = []Device{{Type: "IMEI"}} }, "Reported.Devices[0].Value"},
		{"unknown country", func(a *Account) { a.Location = &Location{CountryCode: "XX"} }, "Reported.Location.CountryCode"},
		{"lower-case country", func(a *Account) { a.Location = &Location{CountryCode: "us"} }, "Reported.Location.CountryCode"},
		{"profile URL relative", func(a *Account) { a.ProfileURLs = []string{"/u/example_user"} }, "Reported.ProfileURLs[0]"},
		{"prior report id zero", func(a *Account) { a.PriorReports = []int64{0} }, "Reported.PriorReports[0]"},
		{"nothing identifying", func(a *Account) { *a = Account{Emails: []string{""}} }, "Reported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := exampleInput()
			tc.edit(in.Reported)
			_, ps := BuildReport(in, testNow)
			assertOneProblem(t, ps, tc.field)
		})
	}
}

func TestBuildReportAccountFields(t *testing.T) {
	in := exampleInput()
	in.Reported.DisplayNames = []string{"", "Example User"}
	in.Reported.Location = &Location{Verified: true} // no place: nothing to say
	in.Reported.IPEvents = append(in.Reported.IPEvents, IPEvent{Address: "2001:db8::7"})
	r, ps := BuildReport(in, testNow)
	if len(ps) != 0 {
		t.Fatalf("problems = %v", ps)
	}
	a := r.Reported
	if a.Person == nil || len(a.Person.Emails) != 1 || a.Person.FirstName != "" {
		t.Errorf("personOrUserReportedPerson = %+v, want the email only", a.Person)
	}
	if len(a.DisplayNames) != 1 {
		t.Errorf("displayNames = %q, want the empty one dropped", a.DisplayNames)
	}
	if a.EstimatedLocation != nil {
		t.Errorf("estimatedLocation = %+v, want none for a location without a place", a.EstimatedLocation)
	}
	if got := a.IPCaptureEvents[0].DateTime; got == nil || !got.Equal(testNow.Add(-50*time.Hour)) {
		t.Errorf("first IP dateTime = %v", got)
	}
	if e := a.IPCaptureEvents[1]; e.DateTime != nil || e.EventName != "" || e.Port != 0 {
		t.Errorf("IP without details = %+v, want only the address", e)
	}
}
