package review

import (
	"slices"
	"strings"
	"time"
)

// Verdict is what a reviewer decided.
type Verdict string

const (
	Violating    Verdict = "violating"
	NotViolating Verdict = "not_violating"
	Escalate     Verdict = "escalate"
	Skip         Verdict = "skip"
)

// DecisionKind says which review a decision was.
type DecisionKind string

const (
	KindFirst      DecisionKind = "first"
	KindSecond     DecisionKind = "second"
	KindEscalation DecisionKind = "escalation"
	KindOverride   DecisionKind = "override"
	KindAutomated  DecisionKind = "automated"
)

// FileAnnotations are the CyberTipline's per-file annotations a reviewer may add.
var FileAnnotations = []string{
	"animeDrawingVirtualHentai", "potentialMeme", "viral", "possibleSelfProduction",
	"physicalHarm", "violenceGore", "bestiality", "liveStreaming", "infant", "generativeAi",
}

// Decision is one reviewer's verdict on an item.
type Decision struct {
	ID          int64
	ItemID      int64
	ReviewerID  int64
	Reviewer    string
	Kind        DecisionKind
	Verdict     Verdict
	Category    string
	Annotations []string
	Note        string
	Seconds     int
	Reveals     []string
	Severe      bool // violating in a category the queue marks severe
	Final       bool
	CreatedAt   time.Time

	ClusterItemID int64 // the representative this decision was made through (0: none)
	AutoEntryID   int64 // the hash entry an automated decision rests on (0: none)
	AutoDistance  int   // its distance
}

// Source says how a decision came about: "automated" (a hash-list rule),
// "cluster" (with its cluster, through another item) or "human".
func (d Decision) Source() string {
	switch {
	case d.Kind == KindAutomated:
		return "automated"
	case d.ClusterItemID != 0 && d.ClusterItemID != d.ItemID:
		return "cluster"
	}
	return "human"
}

// ValidateDecision checks a decision against the queue it is made in.
func ValidateDecision(d Decision, q Queue) error {
	var v ValidationError
	switch d.Verdict {
	case Violating:
		if _, ok := q.Category(d.Category); !ok {
			v.Add("category", "Choose a category from the queue's list.")
		}
		for _, a := range d.Annotations {
			if !slices.Contains(FileAnnotations, a) {
				v.Add("annotations", "unknown annotation "+a)
			}
		}
	case NotViolating:
	case Escalate:
		if strings.TrimSpace(d.Note) == "" {
			v.Add("note", "Say why you escalate.")
		}
	case Skip:
		if strings.TrimSpace(d.Note) == "" {
			v.Add("note", "Give a reason for skipping.")
		}
	default:
		v.Add("verdict", "Choose violating, not violating, escalate or skip.")
	}
	if d.Kind == KindOverride && strings.TrimSpace(d.Note) == "" {
		v.Add("note", "an override needs a written reason")
	}
	if len(d.Note) > 2000 {
		v.Add("note", "must be at most 2000 bytes")
	}
	return v.Err()
}
