package web

import (
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
)

// exportHashList is GET /api/v1/hashlists/{id}/export?since=V&format=csv|jsonl
// for a partner whose token is scoped to that list's id (guard has checked).
// With since, only the changes after that version, retractions as
// tombstones; the response's Loupe-List-Version header is the version to
// ask from next time.
func (s *Server) exportHashList(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathHashList(r)
	if err != nil {
		return err
	}
	var since int64
	if v := r.URL.Query().Get("since"); v != "" {
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			return review.Invalid("since", "must be a list version (a whole number)")
		}
	}
	entries, err := s.hashes.Export(r.Context(), l, since)
	if err != nil {
		return err
	}
	w.Header().Set("Loupe-List-Version", strconv.FormatInt(l.Version, 10))
	switch r.URL.Query().Get("format") {
	case "", "jsonl":
		w.Header().Set("Content-Type", "application/x-ndjson")
		return hashlist.WriteJSONL(w, entries)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return hashlist.WriteCSV(w, entries)
	}
	return review.Invalid("format", "must be csv or jsonl")
}
