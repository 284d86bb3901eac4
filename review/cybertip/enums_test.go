package cybertip

import (
	"slices"
	"testing"
)

// The Go enumerations must equal the schema's, or NCMEC rejects values
// that BuildReport accepted.
func TestEnumerationsMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	for _, tc := range []struct {
		simpleType string
		got        []string
	}{
		{"incidentType", strs(IncidentTypes)},
		{"ipCaptureType", strs(CaptureEvents)},
		{"fileRelevance", strs(Relevances)},
		{"fileClassification", strs(Classifications)},
	} {
		if want := schema.enumeration(t, tc.simpleType); !slices.Equal(tc.got, want) {
			t.Errorf("%s: Go has %q, schema has %q", tc.simpleType, tc.got, want)
		}
	}
}

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"incident type", OnlineEnticement.Valid(), true},
		{"incident type, other case", IncidentType("child sex trafficking").Valid(), false},
		{"capture event", EventUpload.Valid(), true},
		{"capture event, unknown", CaptureEvent("Logout").Valid(), false},
		{"relevance", RelevanceSupplemental.Valid(), true},
		{"relevance, empty", Relevance("").Valid(), false},
		{"classification", B1.Valid(), true},
		{"classification, unknown", Classification("C1").Valid(), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: Valid() = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
