package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// trendDays is how far back the wellbeing pages look.
const trendDays = 30

// notices are the wellbeing warnings for the visitor, for pages where they
// work: a limit within its warning share.
func (s *Server) notices(r *http.Request, queueID int64) []string {
	st, _, err := s.wellbeing.Standing(r.Context(), current(r).user.ID, queueID, 0)
	if err != nil {
		s.log.Warn("wellbeing standing", "err", err)
		return nil
	}
	return st.Warnings
}

// support is the organisation's support resources.
func (s *Server) support(r *http.Request) []review.SupportLink {
	text, err := s.store.Setting(r.Context(), review.SettingSupport)
	if err != nil {
		return nil
	}
	links, _ := review.ParseSupport(text)
	return links
}

// person folds a person's last trendDays of the ledger.
func (s *Server) person(r *http.Request, u review.User, sharedOnly bool) (review.Person, error) {
	ctx := r.Context()
	now := s.now()
	since := now.AddDate(0, 0, -trendDays-1)
	led, err := s.store.FindLedger(ctx, u.ID, since)
	if err != nil {
		return review.Person{}, err
	}
	if led.CheckIns, err = s.store.FindCheckIns(ctx, u.ID, since, sharedOnly); err != nil {
		return review.Person{}, err
	}
	l, err := s.wellbeing.EffectiveLimits(ctx, 0, u.ID)
	if err != nil {
		return review.Person{}, err
	}
	return review.BuildPerson(u, l, led, trendDays, now, s.wellbeing.Zone(ctx)), nil
}

// myWellbeing is a reviewer's own page: today's exposure and budget,
// breaks, trends, their check-ins and the support resources.
func (s *Server) myWellbeing(w http.ResponseWriter, r *http.Request) error {
	u := current(r).user
	st, a, err := s.wellbeing.Standing(r.Context(), u.ID, 0, 0)
	if err != nil {
		return err
	}
	p, err := s.person(r, u, false)
	if err != nil {
		return err
	}
	dayStart := review.DayEnd(s.now(), s.wellbeing.Zone(r.Context())).AddDate(0, 0, -1)
	var today []review.Break
	for _, b := range a.Breaks {
		if !b.StartedAt.Before(dayStart) {
			today = append(today, b)
		}
	}
	s.render(w, r, http.StatusOK, components.MyWellbeing(components.MyWellbeingProps{
		Page: s.page(r, "My wellbeing"), CSRF: current(r).session.CSRFToken, Standing: st, Person: p,
		Breaks: today, Support: s.support(r), Chart: components.DailyChart(p.Days, float64(st.Limits[review.LimitDailyBudget])),
	}))
	return nil
}

// breakPage says why the reviewer rests and until when; once the break is
// over it offers a check-in.
func (s *Server) breakPage(w http.ResponseWriter, r *http.Request) error {
	u := current(r).user
	st, a, err := s.wellbeing.Standing(r.Context(), u.ID, 0, 0)
	if err != nil {
		return err
	}
	p := components.BreakProps{Page: s.page(r, "Break"), CSRF: current(r).session.CSRFToken, Support: s.support(r)}
	if st.OnBreak() && st.Break.ID != 0 {
		p.Break, p.Active = st.Break, true
		p.Left = int(st.Break.End().Sub(s.now()).Seconds()) + 1
		p.Until = until(st.Break.End(), s.wellbeing.Zone(r.Context()))
	} else if n := len(a.Breaks); n > 0 {
		p.Break = a.Breaks[n-1]
		checked, err := s.store.FindCheckIns(r.Context(), u.ID, p.Break.StartedAt, false)
		if err != nil {
			return err
		}
		p.CheckIn = len(checked) == 0
	}
	s.render(w, r, http.StatusOK, components.BreakPage(p))
	return nil
}

// stepAway hands back what the reviewer holds and starts a break at once.
func (s *Server) stepAway(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.wellbeing.StepAway(r.Context(), current(r).user); err != nil {
		return err
	}
	http.Redirect(w, r, "/break", http.StatusSeeOther)
	return nil
}

// endBreak ends a step-away break early.
func (s *Server) endBreak(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.wellbeing.Resume(r.Context(), current(r).user); err != nil {
		return err
	}
	http.Redirect(w, r, "/break", http.StatusSeeOther)
	return nil
}

// checkIn records how the reviewer feels after a break; every field may
// be left empty.
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) error {
	c := review.CheckIn{UserID: current(r).user.ID, Note: strings.TrimSpace(r.PostFormValue("note")),
		Shared: r.PostFormValue("share") == "on", CreatedAt: s.now()}
	if m := r.PostFormValue("mood"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 5 {
			return review.Invalid("mood", "choose 1 to 5, or leave it empty")
		}
		c.Mood = n
	}
	if len(c.Note) > 2000 {
		return review.Invalid("note", "keep it under 2000 characters")
	}
	c.BreakID, _ = strconv.ParseInt(r.PostFormValue("break"), 10, 64)
	if _, err := s.store.AddCheckIn(r.Context(), c); err != nil {
		return err
	}
	http.Redirect(w, r, "/queues", http.StatusSeeOther)
	return nil
}

// until formats when a break ends, in the organisation's zone.
func until(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04 MST") }
