package web

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/pdq"
)

// hashLists shows every list, with the search by image and the create form.
func (s *Server) hashLists(w http.ResponseWriter, r *http.Request) error {
	return s.renderHashLists(w, r, http.StatusOK, components.HashListsProps{})
}

func (s *Server) renderHashLists(w http.ResponseWriter, r *http.Request, code int, p components.HashListsProps) error {
	var err error
	if p.Lists, err = s.store.FindHashLists(r.Context()); err != nil {
		return err
	}
	p.Page, p.CSRF = s.page(r, "Hash lists"), current(r).session.CSRFToken
	s.render(w, r, code, components.HashLists(p))
	return nil
}

func (s *Server) createHashList(w http.ResponseWriter, r *http.Request) error {
	threshold, _ := strconv.Atoi(r.PostFormValue("threshold"))
	l, err := s.hashes.Create(r.Context(), current(r).user.Email, review.HashList{
		Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"),
		Category: strings.TrimSpace(r.PostFormValue("category")), Threshold: threshold, Enabled: true,
	})
	if code, msg := status(err); err != nil && code < 500 {
		return s.renderHashLists(w, r, code, components.HashListsProps{Error: msg})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/hashlists/"+strconv.FormatInt(l.ID, 10), http.StatusSeeOther)
	return nil
}

// searchByImage hashes an uploaded image and shows what it matches; the
// image is not stored. Its body is capped at the ingest file limit and
// read into memory by guard.
func (s *Server) searchByImage(w http.ResponseWriter, r *http.Request) error {
	f, _, err := r.FormFile("image")
	if err != nil {
		return s.renderHashLists(w, r, http.StatusBadRequest, components.HashListsProps{Error: "Choose an image file."})
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	img, _, release, err := s.ingester.Decode(r.Context(), b, "The image")
	if code, msg := status(err); err != nil && code < 500 {
		return s.renderHashLists(w, r, code, components.HashListsProps{Error: msg + "."})
	}
	if err != nil {
		return err
	}
	variants := pdq.DihedralFromImage(img)
	release()
	md, sh := md5.Sum(b), sha256.Sum256(b)
	matches := s.hashes.Match("", hex.EncodeToString(md[:]), hex.EncodeToString(sh[:]), variants[:])
	return s.renderHashLists(w, r, http.StatusOK, components.HashListsProps{Searched: true, Matches: matches,
		Hashes: "pdq " + variants[0].Hash.String() + " (quality " + strconv.Itoa(variants[0].Quality) + ") · md5 " + hex.EncodeToString(md[:])})
}

var hashListNotices = map[string]string{
	"saved": "Settings saved.", "approved": "Approved: the entries match from now on.",
	"rejected": "Rejected.", "retracted": "Retracted: the entries no longer match.",
	"trusted": "Saved: whether imported entries may decide items without a look.",
}

func (s *Server) hashListPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderHashList(w, r, http.StatusOK, "", hashListNotices[r.URL.Query().Get("done")])
}

func (s *Server) renderHashList(w http.ResponseWriter, r *http.Request, code int, problem, notice string) error {
	l, err := s.pathHashList(r)
	if err != nil {
		return err
	}
	p := components.HashListProps{Page: s.page(r, l.Name), CSRF: current(r).session.CSRFToken, List: l, Query: r.URL.Query().Get("q"), Error: problem, Notice: notice}
	if p.Proposals, err = s.store.FindProposals(r.Context(), l.ID, "pending"); err != nil {
		return err
	}
	if p.Entries, err = s.store.FindEntries(r.Context(), l.ID, review.EntryFilter{Value: p.Query, Status: hashlist.Active, Limit: 200}); err != nil {
		return err
	}
	if p.Retracted, err = s.store.FindEntries(r.Context(), l.ID, review.EntryFilter{Status: hashlist.Retracted, Limit: 100}); err != nil {
		return err
	}
	s.render(w, r, code, components.HashListPage(p))
	return nil
}

func (s *Server) updateHashList(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathHashList(r)
	if err != nil {
		return err
	}
	l.Name, l.Category = strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("category"))
	l.Threshold, _ = strconv.Atoi(r.PostFormValue("threshold"))
	l.Enabled = r.PostFormValue("enabled") == "on"
	return s.afterHashListChange(w, r, l.ID, s.hashes.Update(r.Context(), current(r).user.Email, l), "saved")
}

// afterHashListChange redirects with a notice, or shows why the change was refused.
func (s *Server) afterHashListChange(w http.ResponseWriter, r *http.Request, id int64, err error, done string) error {
	if code, msg := status(err); err != nil && code < 500 {
		return s.renderHashList(w, r, code, msg, "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/hashlists/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func formIDs(r *http.Request) ([]int64, error) {
	if err := r.ParseForm(); err != nil {
		return nil, review.Invalid("form", "could not read the form")
	}
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, review.Invalid("ids", "not an id")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// decideProposals approves or rejects the selected proposals.
func (s *Server) decideProposals(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathHashList(r)
	if err != nil {
		return err
	}
	ids, err := formIDs(r)
	if err != nil {
		return err
	}
	approve := r.PostForm.Get("action") == "approve"
	err = s.hashes.DecideProposals(r.Context(), current(r).user, l, ids, approve)
	return s.afterHashListChange(w, r, l.ID, err, map[bool]string{true: "approved", false: "rejected"}[approve])
}

// retractEntries retracts the selected entries with a reason.
func (s *Server) retractEntries(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ids, err := formIDs(r)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return s.afterHashListChange(w, r, id, review.Invalid("ids", "choose the entries to retract"), "")
	}
	err = s.hashes.Retract(r.Context(), current(r).user.Email, ids, strings.TrimSpace(r.PostForm.Get("reason")))
	if errors.Is(err, review.ErrNotFound) {
		err = review.Invalid("ids", "some of those entries are not active")
	}
	return s.afterHashListChange(w, r, id, err, "retracted")
}
