package cybertip

import (
	"fmt"
	"slices"
	"time"
)

// buildReported turns the platform's view of the reported account into
// <personOrUserReported>. Emails and names come from the platform's users,
// so they are passed on as given rather than validated: a malformed
// address is still evidence.
func buildReported(a Account, service string, now time.Time, ps *problems) *PersonOrUserReported {
	r := &PersonOrUserReported{
		ESPIdentifier:  a.ESPIdentifier,
		ESPService:     service,
		ScreenName:     a.ScreenName,
		DisplayNames:   nonEmpty(a.DisplayNames),
		ProfileURLs:    nonEmpty(a.ProfileURLs),
		PriorCTReports: slices.Clone(a.PriorReports),
	}
	if emails := nonEmpty(a.Emails); len(emails) > 0 {
		r.Person = &Person{Emails: emails}
	}
	for i, u := range r.ProfileURLs {
		ps.url(fmt.Sprintf("Reported.ProfileURLs[%d]", i), u)
	}
	for i, e := range a.IPEvents {
		r.IPCaptureEvents = append(r.IPCaptureEvents, buildIPEvent(fmt.Sprintf("Reported.IPEvents[%d]", i), e, now, ps))
	}
	for i, d := range a.Devices {
		field := fmt.Sprintf("Reported.Devices[%d]", i)
		ps.required(field+".Type", d.Type)
		ps.required(field+".Value", d.Value)
		ps.event(field+".Event", d.Event)
		ps.notFuture(field+".At", d.At, now)
		r.DeviceIDs = append(r.DeviceIDs, DeviceID{IDType: d.Type, IDValue: d.Value, EventName: d.Event, DateTime: timePtr(d.At)})
	}
	for i, id := range a.PriorReports {
		if id <= 0 {
			ps.add(fmt.Sprintf("Reported.PriorReports[%d]", i), "is not a CyberTipline report id")
		}
	}
	if l := a.Location; l != nil && (l.City != "" || l.Region != "" || l.CountryCode != "") {
		if l.CountryCode != "" && !validCountry(l.CountryCode) {
			ps.add("Reported.Location.CountryCode", "%q is not a country code the schema knows", l.CountryCode)
		}
		ps.notFuture("Reported.Location.At", l.At, now)
		r.EstimatedLocation = &EstimatedLocation{
			City: l.City, Region: l.Region, CountryCode: l.CountryCode,
			Verified: l.Verified, Timestamp: timePtr(l.At),
		}
	}
	// An element with nothing but espService identifies no one.
	if r.ESPIdentifier == "" && r.ScreenName == "" && r.Person == nil && len(r.DisplayNames) == 0 &&
		len(r.ProfileURLs) == 0 && len(r.IPCaptureEvents) == 0 && len(r.DeviceIDs) == 0 {
		ps.add("Reported", "identifies no account; leave it nil when the account is unknown")
	}
	return r
}

func buildIPEvent(field string, e IPEvent, now time.Time, ps *problems) IPCaptureEvent {
	ps.ip(field+".Address", e.Address)
	ps.event(field+".Event", e.Event)
	ps.notFuture(field+".At", e.At, now)
	if e.Port < 0 || e.Port > 65535 {
		ps.add(field+".Port", "is not a port number")
	}
	return IPCaptureEvent{
		IPAddress: e.Address, EventName: e.Event, DateTime: timePtr(e.At),
		PossibleProxy: e.PossibleProxy, Port: e.Port,
	}
}

// nonEmpty drops empty strings, which would become empty elements.
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
