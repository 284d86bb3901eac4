package review

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Queue is a stream of items that a set of reviewers works through.
type Queue struct {
	ID              int64
	Name            string
	Description     string
	Taxonomy        []Category
	SLAHours        int
	Policy          RevealPolicy
	RequiredReviews int  // 2: a violating verdict needs a second reviewer's agreement
	Reportable      bool // violating decisions become report cases
	Paused          bool
	// ProposeListID is the hash list that final violating decisions
	// propose their items' hashes to (0: none).
	ProposeListID int64
	// QAPercent is the share of final decisions sampled for a blind
	// second look (0 to 100).
	QAPercent int
	CreatedAt time.Time

	// Clusters (issue #17): how near a copy must be to join a cluster of
	// waiting items (PDQ bits; 0: off), and whether a report waits until
	// every one of its files was viewed.
	ClusterThreshold     int
	RequireViewForReport bool
}

// Category is one choice of a violating verdict.
type Category struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Severe bool   `json:"severe"`
}

// DefaultTaxonomy is the industry classification (A = prepubescent,
// B = pubescent; 1 = sex act, 2 = lascivious exhibition) plus one category
// for other severe harm. Queues may edit it.
var DefaultTaxonomy = []Category{
	{Code: "A1", Label: "A1", Severe: true},
	{Code: "A2", Label: "A2", Severe: true},
	{Code: "B1", Label: "B1", Severe: true},
	{Code: "B2", Label: "B2", Severe: true},
	{Code: "other", Label: "Other severe harm", Severe: true},
}

// Reveal steps a queue's policy may allow.
const (
	StepGrey      = "grey"
	StepColour    = "colour"
	StepSpotlight = "spotlight"
	StepEXIF      = "exif"
)

// AllSteps lists every reveal step in the order the screen offers them.
var AllSteps = []string{StepGrey, StepColour, StepSpotlight, StepEXIF}

// RevealPolicy says which reveals a queue allows and how long they last.
type RevealPolicy struct {
	Steps         []string `json:"steps"`
	ReblurSeconds int      `json:"reblur_seconds"`
	// SpotlightMaxPercent is the largest share of an image one spotlight
	// may show (0: DefaultSpotlightPercent).
	SpotlightMaxPercent int `json:"spotlight_max_percent,omitempty"`
}

// DefaultPolicy allows every step, re-blurs after 10 seconds and lets a
// spotlight show a quarter of an image.
var DefaultPolicy = RevealPolicy{Steps: AllSteps, ReblurSeconds: 10, SpotlightMaxPercent: DefaultSpotlightPercent}

// Allows reports whether the policy permits a reveal step.
func (p RevealPolicy) Allows(step string) bool { return slices.Contains(p.Steps, step) }

// MaxReblur is the longest re-blur time a queue may set: no reveal lasts
// longer.
const MaxReblur = 120 * time.Second

// Reblur is how long a reveal may last.
func (p RevealPolicy) Reblur() time.Duration { return time.Duration(p.ReblurSeconds) * time.Second }

// Category returns the queue's category with code, if any.
func (q Queue) Category(code string) (Category, bool) {
	i := slices.IndexFunc(q.Taxonomy, func(c Category) bool { return c.Code == code })
	if i < 0 {
		return Category{}, false
	}
	return q.Taxonomy[i], true
}

// EscalationQueue is where escalated and disputed items go, for leads.
const EscalationQueue = "escalations"

// Validate checks a queue's settings before they are stored.
func (q Queue) Validate() error {
	var v ValidationError
	if err := ValidateName("name", q.Name); err != nil {
		v.Add("name", err.(*ValidationError).Problems["name"])
	}
	if len(q.Description) > 1000 {
		v.Add("description", "must be at most 1000 bytes")
	}
	if len(q.Taxonomy) == 0 {
		v.Add("taxonomy", "needs at least one category")
	}
	seen := map[string]bool{}
	for _, c := range q.Taxonomy {
		if c.Code == "" || len(c.Code) > 32 || strings.ContainsAny(c.Code, " ,;=") || seen[c.Code] {
			v.Add("taxonomy", fmt.Sprintf("category code %q must be unique, 1 to 32 characters, without spaces, commas or semicolons", c.Code))
		}
		seen[c.Code] = true
	}
	if q.SLAHours < 1 || q.SLAHours > 24*30 {
		v.Add("sla_hours", "must be between 1 and 720")
	}
	if q.RequiredReviews != 1 && q.RequiredReviews != 2 {
		v.Add("required_reviews", "must be 1 or 2")
	}
	if q.Policy.ReblurSeconds < 1 || q.Policy.ReblurSeconds > int(MaxReblur/time.Second) {
		v.Add("reblur_seconds", "must be between 1 and 120")
	}
	if p := q.Policy.SpotlightMaxPercent; p != 0 && (p < 1 || p > MaxSpotlightPercent) {
		v.Add("spotlight_max_percent", fmt.Sprintf("a spotlight may show between 1%% and %d%% of the image", MaxSpotlightPercent))
	}
	if q.ClusterThreshold < 0 || q.ClusterThreshold > MaxClusterThreshold {
		v.Add("cluster_threshold", fmt.Sprintf("must be between 0 (clusters off) and %d", MaxClusterThreshold))
	}
	for _, s := range q.Policy.Steps {
		if !slices.Contains(AllSteps, s) {
			v.Add("steps", fmt.Sprintf("unknown reveal step %q", s))
		}
	}
	return v.Err()
}

// ParseTaxonomy reads categories written one per line as
// "CODE = Label" with an optional trailing "(severe)".
func ParseTaxonomy(s string) []Category {
	var out []Category
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, label, ok := strings.Cut(line, "=")
		if !ok {
			label = code
		}
		c := Category{Code: strings.TrimSpace(code), Label: strings.TrimSpace(label)}
		if l, found := strings.CutSuffix(c.Label, "(severe)"); found {
			c.Label, c.Severe = strings.TrimSpace(l), true
		}
		if c.Label == "" {
			c.Label = c.Code
		}
		out = append(out, c)
	}
	return out
}

// FormatTaxonomy writes categories the way ParseTaxonomy reads them.
func FormatTaxonomy(cs []Category) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s = %s", c.Code, c.Label)
		if c.Severe {
			b.WriteString(" (severe)")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// NewQueue returns a queue with the defaults.
func NewQueue(name string) Queue {
	return Queue{Name: name, Taxonomy: DefaultTaxonomy, SLAHours: 24, Policy: DefaultPolicy, RequiredReviews: 1, Reportable: true, QAPercent: DefaultQAPercent,
		ClusterThreshold: DefaultClusterThreshold}
}

// QueueStats are what a lead watches on a queue's page.
type QueueStats struct {
	Depth             int
	OldestAge         time.Duration
	PastSLA           int
	DecisionsLastHour int
	Today             []ReviewerCount
	// DecidedWithoutLook counts final decisions made with a cluster or by
	// automation on items nobody revealed: looks the queue saved.
	DecidedWithoutLook int
}

// ReviewerCount is one reviewer's decisions in a queue today.
type ReviewerCount struct {
	Email     string
	Decisions int
}
