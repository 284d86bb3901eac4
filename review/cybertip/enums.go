package cybertip

import "slices"

// IncidentType is the schema's incidentType enumeration: what kind of
// exploitation the report is about.
type IncidentType string

// The incident types the schema accepts, spelled exactly as NCMEC does.
const (
	ChildPornography           IncidentType = "Child Pornography (possession, manufacture, and distribution)"
	ChildSexTrafficking        IncidentType = "Child Sex Trafficking"
	ChildSexTourism            IncidentType = "Child Sex Tourism"
	ChildSexualMolestation     IncidentType = "Child Sexual Molestation"
	MisleadingDomainName       IncidentType = "Misleading Domain Name"
	MisleadingWordsOrImages    IncidentType = "Misleading Words or Digital Images on the Internet"
	OnlineEnticement           IncidentType = "Online Enticement of Children for Sexual Acts"
	UnsolicitedObsceneMaterial IncidentType = "Unsolicited Obscene Material Sent to a Child"
)

// IncidentTypes lists every incident type in schema order, for pickers.
var IncidentTypes = []IncidentType{
	ChildPornography, ChildSexTrafficking, ChildSexTourism, ChildSexualMolestation,
	MisleadingDomainName, MisleadingWordsOrImages, OnlineEnticement, UnsolicitedObsceneMaterial,
}

// Valid reports whether t is one of the schema's incident types.
func (t IncidentType) Valid() bool { return slices.Contains(IncidentTypes, t) }

// CaptureEvent is the schema's ipCaptureType: what the account was doing
// when the platform recorded its IP address or device.
type CaptureEvent string

// The capture events the schema accepts.
const (
	EventLogin        CaptureEvent = "Login"
	EventRegistration CaptureEvent = "Registration"
	EventPurchase     CaptureEvent = "Purchase"
	EventUpload       CaptureEvent = "Upload"
	EventOther        CaptureEvent = "Other"
	EventUnknown      CaptureEvent = "Unknown"
)

// CaptureEvents lists every capture event in schema order.
var CaptureEvents = []CaptureEvent{EventLogin, EventRegistration, EventPurchase, EventUpload, EventOther, EventUnknown}

// Valid reports whether e is one of the schema's capture events.
func (e CaptureEvent) Valid() bool { return slices.Contains(CaptureEvents, e) }

// Relevance is the schema's fileRelevance: how a file relates to the
// report. NCMEC treats a file without one as Reported.
type Relevance string

// The relevances the schema accepts.
const (
	RelevanceReported     Relevance = "Reported"
	RelevanceSupplemental Relevance = "Supplemental Reported"
)

// Relevances lists every relevance in schema order.
var Relevances = []Relevance{RelevanceReported, RelevanceSupplemental}

// Valid reports whether r is one of the schema's relevances.
func (r Relevance) Valid() bool { return slices.Contains(Relevances, r) }
