package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The case page names its columns for people ("File viewed by reviewer",
// not fileViewedByEsp shouted in capitals), and "Approve and send" comes
// after the document it approves.
func TestCasePageReadsInOrder(t *testing.T) {
	s := newReportSetup(t)
	it := s.decideNext(t, "colour")
	c := s.caseOf(t, it.ID)
	lc, _ := s.h.signIn(s.lead2)
	page := lc.get(fmt.Sprintf("/reports/%d", c.ID))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d", page.StatusCode)
	}
	heads := page.doc.Find(`[data-testid="files"] th`).Text()
	if !strings.Contains(heads, "File viewed by reviewer") || strings.Contains(heads, "ByEsp") {
		t.Errorf("file columns: %q", heads)
	}
	if v := page.doc.Find(`[data-testid="viewed"]`).First().Text(); v != "yes" {
		t.Errorf("viewed shows %q", v)
	}
	html, _ := page.doc.Html()
	xml, approve := strings.Index(html, `data-testid="xml"`), strings.Index(html, `data-testid="approve"`)
	if xml < 0 || approve < 0 || approve < xml {
		t.Errorf("approve at %d, the document at %d: approve must follow it", approve, xml)
	}
}

// The report destination is chosen from the destinations Loupe supports.
func TestReportDestinationIsAChoice(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, "admin")
	c, _ := h.signIn(admin)
	page := c.get("/admin/reporting")
	var values []string
	for _, o := range page.doc.Find(`select[data-testid="destination"] option`).EachIter() {
		values = append(values, o.AttrOr("value", ""))
	}
	if fmt.Sprint(values) != "[cybertipline bundle]" {
		t.Errorf("destinations offered: %v", values)
	}
	if page.doc.Find(`input[name="report.destination"]`).Length() != 0 {
		t.Error("the destination is still a free-text field")
	}
}
