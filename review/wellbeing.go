package review

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
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
	// FindActivity lists a person's exposures, decisions and breaks since
	// a time.
	FindActivity(ctx context.Context, userID int64, since time.Time) (Activity, error)
	// FindStanding returns what a person's standing is worked out from, in
	// one round trip: the limits, the time zone setting, and the activity
	// the query asks for (listed, and summed where it says).
	FindStanding(ctx context.Context, q StandingQuery) (StandingFacts, error)
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
	zone  atomic.Pointer[time.Location] // as last read: where a day starts
}

// StandingQuery asks for what a person's standing is worked out from.
type StandingQuery struct {
	QueueID, UserID int64     // the limits of the person in the queue (0: anywhere)
	ItemID          int64     // the item whose reveal time is summed (0: none)
	Since           time.Time // the last day: activity since then counts
	// Listed: decisions made before it, and closed exposures that started
	// too early to end after it (MaxReblur before it), are summed
	// (Activity.Summed) instead of listed; Since lists them all.
	Listed   time.Time
	DayStart time.Time // the budget's day, over which exposures are weighed; not before Since
}

// listedFor is how far back a standing lists closed exposures and
// decisions one by one; older ones are summed. The limit on severe items
// an hour counts the last hour's decisions, and the continuous review time
// is worked out from the spans of work since the last rest: when it may
// have begun before the listing, the standing is read again with the
// whole day listed.
const listedFor = 2 * time.Hour

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

// Standing is where u stands now, working in queueID (0: anywhere) on
// itemID (0: none; its reveal time left is then unknown).
func (w *Wellbeing) Standing(ctx context.Context, userID, queueID, itemID int64) (Standing, Activity, error) {
	now := w.Now()
	zone := w.zone.Load()
	if zone == nil {
		zone = time.UTC
	}
	since := now.Add(-24 * time.Hour)
	q := StandingQuery{QueueID: queueID, UserID: userID, ItemID: itemID, Since: since, Listed: now.Add(-listedFor), DayStart: dayStart(DayEnd(now, zone), since)}
	// At most three reads: the first with the day as the time zone was
	// last read, again when the zone has changed since, and once more
	// with the whole day listed.
	for tries := 0; ; tries++ {
		f, err := w.Store.FindStanding(ctx, q)
		if err != nil {
			return Standing{}, Activity{}, err
		}
		zone = zoneNamed(f.Zone)
		w.zone.Store(zone)
		l, dayEnd := f.Limits.Effective(), DayEnd(now, zone)
		s := Assess(l, f.Activity, now, dayEnd)
		rest := time.Duration(l[LimitBreak]) * time.Minute
		switch day := dayStart(dayEnd, since); {
		case tries < 2 && !day.Equal(q.DayStart):
			q.DayStart = day
		case tries < 2 && q.Listed.After(q.Since) && l[LimitContinuous] > 0 && s.Working > 0 && s.Working > listedFor-rest:
			q.Listed = q.Since // the working time may have begun before the listing
		default:
			return s, f.Activity, nil
		}
	}
}

// dayStart is when the budget's day that ends at dayEnd began, or since if
// later (a day with a clock change lasts 25 hours; activity counts for 24).
func dayStart(dayEnd, since time.Time) time.Time {
	if day := dayEnd.AddDate(0, 0, -1); day.After(since) {
		return day
	}
	return since
}

// Admit lets u claim or reveal in a queue (on an item, for a reveal), or
// refuses with a BreakError; a break that has just come due is recorded
// (and what u holds goes back to its queue).
func (w *Wellbeing) Admit(ctx context.Context, u User, queueID, itemID int64) (Standing, Activity, error) {
	s, a, err := w.Standing(ctx, u.ID, queueID, itemID)
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
