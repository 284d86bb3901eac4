package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// auditPerPage is how many entries one page of the audit log shows.
const auditPerPage = 100

// auditFilter reads the log's filter and page from the address.
func auditFilter(q url.Values) (components.AuditProps, review.AuditFilter, error) {
	p := components.AuditProps{Actor: q.Get("actor"), Action: q.Get("action"), Target: strings.TrimSpace(q.Get("target")), Since: q.Get("since"), Until: q.Get("until")}
	f := review.AuditFilter{Actor: p.Actor, Action: p.Action, Target: p.Target}
	var bad review.ValidationError
	if p.Since != "" {
		t, err := time.Parse(time.DateOnly, p.Since)
		if err != nil {
			bad.Add("since", "dates look like 2026-11-26")
		}
		f.Since = t
	}
	if p.Until != "" {
		t, err := time.Parse(time.DateOnly, p.Until)
		if err != nil {
			bad.Add("until", "dates look like 2026-11-26")
		}
		f.Until = t.AddDate(0, 0, 1) // inclusive of the whole day
	}
	for name, dst := range map[string]*int64{"before": &f.Before, "after": &f.After} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				bad.Add(name, "entry numbers are positive whole numbers")
			}
			*dst = n
		}
	}
	return p, f, bad.Err()
}

// auditLog lists audit entries newest first, a page at a time by entry
// number, filtered by actor, action, target and dates.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	p, f, err := auditFilter(r.URL.Query())
	code := http.StatusOK
	if err != nil {
		code, p.Error = status(err)
	} else {
		f.Limit = auditPerPage + 1 // one more says whether another page follows
		if p.Entries, err = s.store.FindAuditEntries(r.Context(), f); err != nil {
			return err
		}
		more := len(p.Entries) > auditPerPage
		switch {
		case f.After != 0 && more:
			p.Entries = p.Entries[1:]
		case more:
			p.Entries = p.Entries[:auditPerPage]
		}
		if n := len(p.Entries); n > 0 {
			if f.After != 0 || more {
				p.Older = p.Entries[n-1].ID
			}
			if f.Before != 0 || (f.After != 0 && more) {
				p.Newer = p.Entries[0].ID
			}
		}
		if p.Links, err = s.targetLinks(r, p.Entries); err != nil {
			return err
		}
	}
	if p.Actions, err = s.store.FindAuditActions(r.Context()); err != nil {
		return err
	}
	p.Page = s.page(r, "Audit log")
	s.render(w, r, code, components.Audit(p))
	return nil
}

// targetLinks maps each target the visitor may open to its page: items,
// people, report cases and hash lists.
func (s *Server) targetLinks(r *http.Request, es []review.AuditEntry) (map[string]string, error) {
	roles := current(r).user.Roles
	users, lists := map[string]int64{}, map[string]int64{}
	if roles.Has(review.RoleAdmin) {
		us, err := s.store.FindUsers(r.Context())
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			users[u.Email] = u.ID
		}
	}
	ls, err := s.store.FindHashLists(r.Context())
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		lists[l.Name] = l.ID
	}
	out := map[string]string{}
	for _, e := range es {
		kind, key, _ := strings.Cut(e.Target, ":")
		_, numErr := strconv.ParseInt(key, 10, 64)
		switch {
		case kind == "item" && numErr == nil:
			out[e.Target] = "/items/" + key
		case kind == "case" && numErr == nil && roles.Has(review.RoleLead):
			out[e.Target] = "/reports/" + key
		case kind == "user" && users[key] != 0:
			out[e.Target] = "/admin/users/" + strconv.FormatInt(users[key], 10)
		case kind == "hashlist" && lists[key] != 0:
			out[e.Target] = "/hashlists/" + strconv.FormatInt(lists[key], 10)
		}
	}
	return out, nil
}
