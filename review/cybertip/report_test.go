package cybertip

import (
	"bytes"
	"encoding/xml"
	"slices"
	"testing"
	"time"
)

// fullInput fills every element this package models, so order tests see
// all of them.
func fullInput() ReportInput {
	in := exampleInput()
	in.Org.LawEnforcementContact = &Contact{FirstName: "Sam", LastName: "Legal", Email: "le-response@example.org", Phone: "+1 555 0100"}
	in.Org.TermsOfService = "Example Platform forbids any sexual content involving minors."
	in.IncidentTimeDescription = "Upload of the first reported file."
	in.Escalation = "The account announced a meeting with a child."
	in.Annotations = ReportAnnotations{Sextortion: true, CSAMSolicitation: true, MinorToMinorInteraction: true, Spam: true, SadisticOnlineExploitation: true}
	in.AdditionalInfo = "Found by hash match, confirmed by a reviewer."
	a := in.Reported
	a.IPEvents[0].PossibleProxy = true
	a.IPEvents = append(a.IPEvents, IPEvent{Address: "2001:db8::7", Event: EventUpload, At: testNow.Add(-48 * time.Hour)})
	a.Devices = []Device{{Type: "IDFA", Value: "00000000-0000-4000-8000-000000000001", Event: EventLogin, At: testNow.Add(-50 * time.Hour)}}
	a.Location = &Location{City: "Springfield", Region: "Example Region", CountryCode: "US", Verified: true, At: testNow.Add(-50 * time.Hour)}
	a.PriorReports = []int64{1000001}
	yes := true
	f := &in.Files[0]
	f.PubliclyAvailable = &yes
	f.EXIFViewedByESP = true
	f.Relevance = RelevanceReported
	f.Annotations = FileAnnotations{
		AnimeDrawingVirtualHentai: true, PotentialMeme: true, Viral: true, PossibleSelfProduction: true, PhysicalHarm: true,
		ViolenceGore: true, Bestiality: true, LiveStreaming: true, Infant: true, GenerativeAI: true,
	}
	f.AdditionalInfo = "Shared in a public group."
	return in
}

func mustXML(t *testing.T, doc interface{ XML() ([]byte, error) }) []byte {
	t.Helper()
	data, err := doc.XML()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fullDocuments(t *testing.T) (report, fileDetails []byte) {
	t.Helper()
	in := fullInput()
	r, ps := BuildReport(in, testNow)
	if len(ps) != 0 {
		t.Fatalf("report problems = %v", ps)
	}
	d, ps := BuildFileDetails(4564654, "f1", in.Files[0], nil, testNow)
	if len(ps) != 0 {
		t.Fatalf("file problems = %v", ps)
	}
	return mustXML(t, r), mustXML(t, d)
}

// child finds the first element along path below n.
func (n node) child(path ...string) (node, bool) {
	for _, name := range path {
		i := slices.IndexFunc(n.Children, func(c node) bool { return c.XMLName.Local == name })
		if i < 0 {
			return node{}, false
		}
		n = n.Children[i]
	}
	return n, true
}

// TestChildOrderEqualsSchemaSequence compares, element by element, the
// children a full document has with the schema's sequence minus the
// elements this package deliberately leaves out.
func TestChildOrderEqualsSchemaSequence(t *testing.T) {
	schema := loadSchema(t)
	report, fileDetails := fullDocuments(t)
	reportDoc, fileDoc := parseNode(t, report), parseNode(t, fileDetails)
	for _, tc := range []struct {
		doc        node
		path       []string
		kind, name string   // the schema definition
		unmodelled []string // schema children this package does not write
	}{
		{reportDoc, nil, "element", "report", []string{"batchedReport", "lawEnforcement", "intendedRecipient", "victim"}},
		{reportDoc, []string{"incidentSummary"}, "element", "incidentSummary", nil},
		{reportDoc, []string{"incidentSummary", "reportAnnotations"}, "complexType", "reportAnnotations", nil},
		{reportDoc, []string{"internetDetails", "webPageIncident"}, "element", "webPageIncident", []string{"additionalInfo"}},
		{reportDoc, []string{"reporter"}, "element", "reporter", nil},
		{reportDoc, []string{"reporter", "reportingPerson"}, "complexType", "person", []string{"phone", "address", "age", "dateOfBirth"}},
		{reportDoc, []string{"reporter", "contactPerson"}, "complexType", "contactPerson", []string{"address"}},
		{reportDoc, []string{"personOrUserReported"}, "element", "personOrUserReported", []string{
			"vehicleDescription", "compromisedAccount", "profileBio", "thirdPartyUserReported", "groupIdentifier",
			"accountTemporarilyDisabled", "accountPermanentlyDisabled", "allEmailsReported", "associatedAccount", "additionalInfo",
		}},
		{reportDoc, []string{"personOrUserReported", "ipCaptureEvent"}, "complexType", "ipCaptureEvent", nil},
		{reportDoc, []string{"personOrUserReported", "deviceId"}, "complexType", "deviceId", nil},
		{reportDoc, []string{"personOrUserReported", "estimatedLocation"}, "complexType", "estimatedLocation", nil},
		{fileDoc, nil, "element", "fileDetails", []string{"fileName", "potentialMeme", "deviceId", "details"}},
		{fileDoc, []string{"fileAnnotations"}, "complexType", "fileAnnotations", nil},
	} {
		want := slices.DeleteFunc(schema.sequenceOf(t, tc.kind, tc.name), func(s string) bool {
			return slices.Contains(tc.unmodelled, s)
		})
		el, ok := tc.doc.child(tc.path...)
		if !ok {
			t.Errorf("%s: no element at %v", tc.name, tc.path)
			continue
		}
		var got []string
		for _, c := range el.Children {
			if len(got) == 0 || got[len(got)-1] != c.XMLName.Local { // repeated elements count once
				got = append(got, c.XMLName.Local)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s children:\n got %q\nwant %q", tc.name, got, want)
		}
	}
}

// TestDocumentsFollowSchemaOrder walks every element of the generated
// documents, so order holds below the top-level elements too, with or
// without xmllint.
func TestDocumentsFollowSchemaOrder(t *testing.T) {
	schema := loadSchema(t)
	report, fileDetails := fullDocuments(t)
	checkDocumentOrder(t, schema, report)
	checkDocumentOrder(t, schema, fileDetails)
}

// The checker itself must notice a swap, or the tests above prove nothing.
func TestOrderErrorsCatchesSwap(t *testing.T) {
	schema := loadSchema(t)
	el, _ := schema.topLevel("element", "incidentSummary")
	def, _ := schema.typeOf(el)
	for _, tc := range []struct {
		doc  string
		errs int
	}{
		{`<incidentSummary><incidentType/><incidentDateTime/></incidentSummary>`, 0},
		{`<incidentSummary><incidentDateTime/><incidentType/></incidentSummary>`, 1},
		{`<incidentSummary><incidentType/><reporter/></incidentSummary>`, 1},
	} {
		if errs := schema.orderErrors("incidentSummary", parseNode(t, []byte(tc.doc)), def); len(errs) != tc.errs {
			t.Errorf("%s: errors %q, want %d", tc.doc, errs, tc.errs)
		}
	}
}

func TestReportXMLHasHeader(t *testing.T) {
	r, _ := BuildReport(exampleInput(), testNow)
	data := mustXML(t, r)
	if want := xml.Header + "<report>\n  <incidentSummary>"; !bytes.HasPrefix(data, []byte(want)) {
		t.Errorf("document starts %q, want %q", data[:min(len(data), 80)], want)
	}
	if !bytes.HasSuffix(data, []byte("</report>\n")) {
		t.Error("document does not end with </report> and a newline")
	}
}
