package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/csvsafe"
)

// The wellbeing role's pages show exposure figures, breaks, limits and
// shared check-ins by person: never media, thumbnails or item metadata.

// team builds every reviewer's record over the last trendDays.
func (s *Server) team(ctx context.Context) ([]review.Person, error) {
	users, err := s.store.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	since := now.AddDate(0, 0, -trendDays-1)
	led, err := s.store.FindLedger(ctx, 0, since)
	if err != nil {
		return nil, err
	}
	if led.CheckIns, err = s.store.FindCheckIns(ctx, 0, since, true); err != nil {
		return nil, err
	}
	org, _, _, err := s.store.FindLimits(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	overrides, err := s.store.FindOverrides(ctx, review.ScopePerson)
	if err != nil {
		return nil, err
	}
	loc := s.wellbeing.Zone(ctx)
	var people []review.Person
	for _, u := range users {
		if !u.Roles.Any(review.RoleReviewer, review.RoleLead) {
			continue
		}
		l := review.DefaultLimits.Merge(org, overrides[u.ID])
		people = append(people, review.BuildPerson(u, l, led, trendDays, now, loc))
	}
	return people, s.acknowledge(ctx, people, 0)
}

// period reads ?days= (1, 7 or 30; 7 by default).
func period(r *http.Request) int {
	switch r.URL.Query().Get("days") {
	case "1":
		return 1
	case "30":
		return 30
	}
	return 7
}

// wellbeingDashboard shows the team's and each reviewer's exposure,
// decisions, breaks and alerts.
func (s *Server) wellbeingDashboard(w http.ResponseWriter, r *http.Request) error {
	people, err := s.team(r.Context())
	if err != nil {
		return err
	}
	days := period(r)
	teamDays := review.TeamDays(people)
	s.render(w, r, http.StatusOK, components.Dashboard(components.DashboardProps{
		Page: s.page(r, "Wellbeing"), Period: days, People: people, TeamDays: teamDays,
		Chart: components.DailyChart(teamDays, 0), Now: s.now(),
	}))
	return nil
}

// wellbeingPerson shows one reviewer's record and their limit overrides.
func (s *Server) wellbeingPerson(w http.ResponseWriter, r *http.Request) error {
	return s.renderWellbeingPerson(w, r, http.StatusOK, "")
}

func (s *Server) renderWellbeingPerson(w http.ResponseWriter, r *http.Request, code int, problem string) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	p, err := s.person(r, u, true)
	if err != nil {
		return err
	}
	people := []review.Person{p}
	if err := s.acknowledge(r.Context(), people, u.ID); err != nil {
		return err
	}
	p = people[0]
	_, _, override, err := s.store.FindLimits(r.Context(), 0, u.ID)
	if err != nil {
		return err
	}
	breaks, err := s.store.FindBreaks(r.Context(), u.ID, s.now().AddDate(0, 0, -trendDays))
	if err != nil {
		return err
	}
	slices.Reverse(breaks)
	s.render(w, r, code, components.WellbeingPerson(components.WellbeingPersonProps{
		Page: s.page(r, u.Email), CSRF: current(r).session.CSRFToken, Person: p, Override: override,
		Breaks: breaks, Chart: components.DailyChart(p.Days, float64(p.Limits[review.LimitDailyBudget])), Error: problem, Now: s.now(),
		Zone: s.wellbeing.Zone(r.Context()),
	}))
	return nil
}

// setPersonLimits saves one reviewer's overrides (all empty: none).
func (s *Server) setPersonLimits(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	l, err := review.ParseLimits(r.PostFormValue)
	if err != nil {
		return s.renderWellbeingPerson(w, r, http.StatusBadRequest, err.(*review.ValidationError).Message())
	}
	if err := s.store.SetLimits(r.Context(), review.ScopePerson, u.ID, l, s.limitsEvent(r, "user:"+u.Email, l)); err != nil {
		return err
	}
	http.Redirect(w, r, "/wellbeing/people/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) limitsEvent(r *http.Request, target string, l review.Limits) review.AuditEvent {
	details := map[string]string{}
	for k, v := range l {
		details[string(k)] = strconv.Itoa(v)
	}
	return review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionLimitsChanged, Target: target, Details: details}
}

// wellbeingExport is the team's days as CSV, one row per person and day.
func (s *Server) wellbeingExport(w http.ResponseWriter, r *http.Request) error {
	people, err := s.team(r.Context())
	if err != nil {
		return err
	}
	days := period(r)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="wellbeing-%dd.csv"`, days))
	out := csvsafe.NewWriter(w)
	out.Write([]string{"date", "reviewer", "grey_seconds", "colour_seconds", "spotlight_seconds", "exif_seconds", "weighted_seconds",
		"severe_seconds", "other_seconds", "undecided_seconds", "reveals", "decided", "breaks_due", "breaks_taken", "breaks_cut_short", "budget", "budget_reached", "downloads"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	for _, p := range people {
		for _, d := range p.Days[len(p.Days)-days:] {
			out.Write([]string{
				d.Date.Format("2006-01-02"), p.Email,
				f(d.Seconds[review.StepGrey]), f(d.Seconds[review.StepColour]), f(d.Seconds[review.StepSpotlight]), f(d.Seconds[review.StepEXIF]), f(d.Weighted),
				f(d.BySeverity[review.SeveritySevere]), f(d.BySeverity[review.SeverityOther]), f(d.BySeverity[review.SeverityUndecided]),
				strconv.Itoa(d.Reveals), strconv.Itoa(d.Decided), strconv.Itoa(d.BreaksDue), strconv.Itoa(d.Taken), strconv.Itoa(d.CutShort),
				strconv.Itoa(d.Budget), strconv.FormatBool(d.OverBudget()), strconv.Itoa(d.Downloads),
			})
		}
	}
	return out.Flush()
}

// wellbeingLimits shows the organisation's limits, the per-queue
// overrides, the time zone and the support resources.
func (s *Server) wellbeingLimits(w http.ResponseWriter, r *http.Request) error {
	return s.renderWellbeingLimits(w, r, http.StatusOK, "")
}

func (s *Server) renderWellbeingLimits(w http.ResponseWriter, r *http.Request, code int, problem string) error {
	ctx := r.Context()
	org, _, _, err := s.store.FindLimits(ctx, 0, 0)
	if err != nil {
		return err
	}
	queues, err := s.store.FindQueueRefs(ctx)
	if err != nil {
		return err
	}
	overrides, err := s.store.FindOverrides(ctx, review.ScopeQueue)
	if err != nil {
		return err
	}
	tz, err := s.store.Setting(ctx, review.SettingTimezone)
	if err != nil {
		return err
	}
	support, err := s.store.Setting(ctx, review.SettingSupport)
	if err != nil {
		return err
	}
	s.render(w, r, code, components.WellbeingLimits(components.WellbeingLimitsProps{
		Page: s.page(r, "Limits"), CSRF: current(r).session.CSRFToken, Org: review.DefaultLimits.Merge(org),
		Queues: queues, Overrides: overrides, Timezone: tz, Support: support, Error: problem,
	}))
	return nil
}

// setOrgLimits saves the organisation's limits, time zone and support
// resources.
func (s *Server) setOrgLimits(w http.ResponseWriter, r *http.Request) error {
	fail := func(err error) error {
		if v, ok := err.(*review.ValidationError); ok {
			return s.renderWellbeingLimits(w, r, http.StatusBadRequest, v.Message())
		}
		return err
	}
	l, err := review.ParseLimits(r.PostFormValue)
	if err != nil {
		return fail(err)
	}
	tz, support := r.PostFormValue("timezone"), r.PostFormValue("support")
	if err := review.CheckTimezone(tz); err != nil {
		return fail(err)
	}
	if _, err := review.ParseSupport(support); err != nil {
		return fail(err)
	}
	ctx := r.Context()
	if err := s.store.SetLimits(ctx, review.ScopeOrg, 0, l, s.limitsEvent(r, "organisation", l)); err != nil {
		return err
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionSettingsSaved, Details: map[string]string{"timezone": tz}}
	if err := s.store.SaveSettings(ctx, map[string]string{review.SettingTimezone: tz, review.SettingSupport: support}, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/wellbeing/limits", http.StatusSeeOther)
	return nil
}

// setQueueLimits saves one queue's overrides (all empty: none).
func (s *Server) setQueueLimits(w http.ResponseWriter, r *http.Request) error {
	q, err := s.pathQueue(r)
	if err != nil {
		return err
	}
	l, err := review.ParseLimits(r.PostFormValue)
	if err != nil {
		return s.renderWellbeingLimits(w, r, http.StatusBadRequest, q.Name+": "+err.(*review.ValidationError).Message())
	}
	if err := s.store.SetLimits(r.Context(), review.ScopeQueue, q.ID, l, s.limitsEvent(r, "queue:"+q.Name, l)); err != nil {
		return err
	}
	http.Redirect(w, r, "/wellbeing/limits", http.StatusSeeOther)
	return nil
}
