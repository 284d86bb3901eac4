package web

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestWellbeingExportCarriesNoFormulas: an e-mail address a spreadsheet
// would run as a formula arrives as text, with a leading quote.
func TestWellbeingExportCarriesNoFormulas(t *testing.T) {
	h := newHarness(t)
	emails := []string{"=1+2@example.org", "+cmd@example.org", "-2@example.org"}
	for _, e := range emails {
		h.addPerson(e, true, review.RoleReviewer)
	}
	cw, _ := h.signIn(h.addPerson("care@example.org", true, review.RoleWellbeing))
	rows, err := csv.NewReader(strings.NewReader(cw.get("/wellbeing/export.csv?days=1").body)).ReadAll()
	if err != nil || len(rows) != 1+len(emails) {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	got := map[string]bool{}
	for _, r := range rows {
		for _, cell := range r {
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
				t.Errorf("cell %q would be read as a formula", cell)
			}
		}
		got[r[1]] = true
	}
	for _, e := range emails {
		if !got["'"+e] {
			t.Errorf("no row for %s, quoted as text: %v", e, rows)
		}
	}
}
