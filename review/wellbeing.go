package review

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Audit actions of wellbeing.
const (
	ActionBreakStarted  = "break.started"
	ActionBreakEnded    = "break.ended_early"
	ActionLimitsChanged = "wellbeing.limits_changed"
	ActionSettingsSaved = "wellbeing.settings_changed"
)

// Settings keys of the organisation's wellbeing settings.
const (
	SettingTimezone = "wellbeing.timezone" // IANA name; days (and budgets) start at midnight there
	SettingSupport  = "wellbeing.support"  // support resources: one "label | url" per line
)

// Scopes of limits: organisation defaults, per-queue and per-person overrides.
const (
	ScopeOrg    = "org"
	ScopeQueue  = "queue"
	ScopePerson = "person"
)

// WellbeingStore keeps limits, breaks and the organisation's settings.
type WellbeingStore interface {
	// FindLimits returns the organisation's limits and the queue's and
	// person's overrides (empty maps when there are none).
	FindLimits(ctx context.Context, queueID, userID int64) (org, queue, person Limits, err error)
	SetLimits(ctx context.Context, scope string, scopeID int64, l Limits, ev AuditEvent) error
	FindActivity(ctx context.Context, userID int64, since time.Time) (Activity, error)
	// FindStanding returns what FindLimits, FindActivity and the time zone
	// setting do, in one round trip.
	FindStanding(ctx context.Context, queueID, userID int64, since time.Time) (StandingFacts, error)
	// StartBreak records a break, hands back what the reviewer holds and
	// closes their open reveals, in one transaction; when a break is
	// already running it returns that one instead.
	StartBreak(ctx context.Context, b Break, ev AuditEvent) (Break, error)
	// EndBreak ends a person's running step-away break at now.
	EndBreak(ctx context.Context, userID int64, now time.Time, ev AuditEvent) (Break, error)
	Setting(ctx context.Context, key string) (string, error)
	SaveSettings(ctx context.Context, values map[string]string, ev AuditEvent) error
}

// Wellbeing enforces exposure budgets and breaks on the server.
type Wellbeing struct {
	Store WellbeingStore
	Now   func() time.Time
}

// StandingFacts are what a person's standing is worked out from.
type StandingFacts struct {
	Limits   LimitSet
	Zone     string // the organisation's time zone setting ("": UTC)
	Activity Activity
}

// Zone is the organisation's time zone: a day's budget starts at its midnight.
func (w *Wellbeing) Zone(ctx context.Context) *time.Location {
	name, err := w.Store.Setting(ctx, SettingTimezone)
	if err != nil {
		return time.UTC
	}
	return zoneNamed(name)
}

// zoneNamed is the time zone an IANA name names, UTC when it names none.
func zoneNamed(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// EffectiveLimits are the limits that apply to a person in a queue (0: no
// queue): organisation defaults, then the queue's, then the person's.
func (w *Wellbeing) EffectiveLimits(ctx context.Context, queueID, userID int64) (Limits, error) {
	org, queue, person, err := w.Store.FindLimits(ctx, queueID, userID)
	if err != nil {
		return nil, err
	}
	return LimitSet{org, queue, person}.Effective(), nil
}

// Standing is where u stands now, working in queueID (0: anywhere).
func (w *Wellbeing) Standing(ctx context.Context, userID, queueID int64) (Standing, Activity, error) {
	now := w.Now()
	f, err := w.Store.FindStanding(ctx, queueID, userID, now.Add(-24*time.Hour))
	if err != nil {
		return Standing{}, Activity{}, err
	}
	return Assess(f.Limits.Effective(), f.Activity, now, DayEnd(now, zoneNamed(f.Zone))), f.Activity, nil
}

// Admit lets u claim or reveal in a queue, or refuses with a BreakError;
// a break that has just come due is recorded (and what u holds goes back
// to its queue).
func (w *Wellbeing) Admit(ctx context.Context, u User, queueID int64) (Standing, Activity, error) {
	s, a, err := w.Standing(ctx, u.ID, queueID)
	if err != nil || !s.OnBreak() {
		return s, a, err
	}
	b := s.Break
	if b.ID == 0 {
		b.UserID = u.ID
		if b, err = w.Store.StartBreak(ctx, b, breakEvent(u, b)); err != nil {
			return s, a, err
		}
	}
	return s, a, &BreakError{Break: b}
}

// StepAway starts a break at once, for the person's break length, and
// hands back the item they hold. No reason is asked.
func (w *Wellbeing) StepAway(ctx context.Context, u User) (Break, error) {
	l, err := w.EffectiveLimits(ctx, 0, u.ID)
	if err != nil {
		return Break{}, err
	}
	now := w.Now()
	b := Break{UserID: u.ID, Reason: BreakStepAway, StartedAt: now, EndsAt: now.Add(time.Duration(l[LimitBreak]) * time.Minute)}
	return w.Store.StartBreak(ctx, b, breakEvent(u, b))
}

// Resume ends u's step-away break early; enforced breaks cannot be ended.
func (w *Wellbeing) Resume(ctx context.Context, u User) (Break, error) {
	return w.Store.EndBreak(ctx, u.ID, w.Now(), AuditEvent{Actor: u.Email, Action: ActionBreakEnded, Target: userTarget(u.Email)})
}

func breakEvent(u User, b Break) AuditEvent {
	return AuditEvent{Actor: u.Email, Action: ActionBreakStarted, Target: userTarget(u.Email), Details: map[string]string{
		"reason": b.Reason, "until": b.EndsAt.UTC().Format(time.RFC3339),
	}}
}

// SupportLink is one support resource the organisation offers reviewers.
type SupportLink struct {
	Label string
	URL   string
}

// ParseSupport reads support resources, one "label | https://..." per line.
func ParseSupport(text string) ([]SupportLink, error) {
	var out []SupportLink
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		label, url, ok := strings.Cut(line, "|")
		label, url = strings.TrimSpace(label), strings.TrimSpace(url)
		if !ok || label == "" || !(strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "tel:") || strings.HasPrefix(url, "mailto:")) {
			return nil, Invalid("support", fmt.Sprintf("line %d: write \"label | https://...\" (or tel: or mailto:)", i+1))
		}
		out = append(out, SupportLink{Label: label, URL: url})
	}
	return out, nil
}

// CheckTimezone validates an IANA time zone name.
func CheckTimezone(name string) error {
	if _, err := time.LoadLocation(name); err != nil || name == "" {
		return Invalid("timezone", "must be a time zone name such as Europe/Dublin or UTC")
	}
	return nil
}

// WellbeingReader reads what the wellbeing pages show.
type WellbeingReader interface {
	// FindLedger returns exposure and decision buckets and breaks since a
	// time, for one person (userID) or everyone (0); no check-ins.
	FindLedger(ctx context.Context, userID int64, since time.Time) (Ledger, error)
	FindOverrides(ctx context.Context, scope string) (map[int64]Limits, error)
	// FindCheckIns lists check-ins since a time: one person's (userID) or
	// everyone's (0); sharedOnly leaves out the private ones.
	FindCheckIns(ctx context.Context, userID int64, since time.Time, sharedOnly bool) ([]CheckIn, error)
	AddCheckIn(ctx context.Context, c CheckIn) (CheckIn, error)
}
