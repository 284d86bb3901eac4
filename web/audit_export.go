package web

import (
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/review/csvsafe"
)

// auditExport writes the filtered log as CSV, newest first, through the
// CSV guard (actors, targets and details are text people typed). It reads
// the log a page at a time by entry number, so memory stays flat.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) error {
	_, f, err := auditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Limit, f.After = 1000, 0
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-log.csv"`)
	out := csvsafe.NewWriter(w)
	out.Write([]string{"id", "at", "actor", "action", "target", "details", "hash"})
	for {
		es, err := s.store.FindAuditEntries(r.Context(), f)
		if err != nil {
			return err // headers are out: the truncated file ends here
		}
		for _, e := range es {
			out.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format("2006-01-02 15:04:05 UTC"), e.Actor, e.Action, e.Target, e.Details, e.Hash})
		}
		if len(es) < f.Limit {
			return out.Flush()
		}
		f.Before = es[len(es)-1].ID
	}
}
