package cybertip

import "testing"

func TestTaxonomyClassify(t *testing.T) {
	custom := Taxonomy{"Category A": A1, "Category C": "", "Broken": "C9"}
	for _, tc := range []struct {
		tax   Taxonomy
		label string
		want  Classification
		ok    bool
	}{
		{nil, "", "", true},
		{nil, "A1", A1, true},
		{nil, "B2", B2, true},
		{nil, "b2", "", false},
		{nil, "C1", "", false},
		{DefaultTaxonomy(), "A2", A2, true},
		{custom, "Category A", A1, true},
		{custom, "Category C", "", true},
		{custom, "Broken", "", false},
		{custom, "A1", "", false},
	} {
		got, ok := tc.tax.Classify(tc.label)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%v.Classify(%q) = %q, %v; want %q, %v", tc.tax, tc.label, got, ok, tc.want, tc.ok)
		}
	}
}
