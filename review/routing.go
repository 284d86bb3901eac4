package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Rule sends items that meet its conditions to a queue, optionally with a
// priority. Rules of the item's source are tried first, in order, then the
// global ones; the first match wins and the default queue takes the rest.
type Rule struct {
	ID         int64
	Position   int
	Source     string // "" for a global rule
	SourceID   int64
	Name       string
	Conditions Conditions
	QueueID    int64
	Queue      string
	Priority   *int
	Enabled    bool
}

// Conditions must all hold for a rule to match. An empty set matches everything.
type Conditions struct {
	// Scores: the classifier's score for each label is at least the threshold.
	Scores map[string]float64 `json:"scores,omitempty"`
	// LabelsAny: the item carries at least one of these labels.
	LabelsAny []string `json:"labels_any,omitempty"`
	// Public: the content was (or was not) publicly visible.
	Public *bool `json:"public,omitempty"`
	// HashMatch: "block" for a match on any block list, or a list's name.
	HashMatch string `json:"hash_match,omitempty"`
}

// Validate checks a rule before it is stored.
func (r Rule) Validate() error {
	var v ValidationError
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 200 {
		v.Add("name", "is required (at most 200 bytes)")
	}
	if r.QueueID == 0 && r.Queue == "" {
		v.Add("queue", "is required")
	}
	if r.Priority != nil && (*r.Priority < 0 || *r.Priority > 100) {
		v.Add("priority", "must be between 0 and 100")
	}
	for label, th := range r.Conditions.Scores {
		if label == "" || th < 0 || th > 1 {
			v.Add("conditions.scores", fmt.Sprintf("threshold of %q must be between 0 and 1", label))
		}
	}
	return v.Err()
}

// Match reports whether the conditions hold for an item with metadata m
// and hash-list matches ms.
func (c Conditions) Match(m Metadata, ms []MediaMatch) bool {
	for label, th := range c.Scores {
		if m.Classifier == nil {
			return false
		}
		s, ok := m.Classifier.Scores[label]
		if !ok || s < th {
			return false
		}
	}
	if len(c.LabelsAny) > 0 && !slices.ContainsFunc(c.LabelsAny, func(l string) bool { return slices.Contains(m.Labels, l) }) {
		return false
	}
	if c.Public != nil && (m.Context == nil || m.Context.Public == nil || *m.Context.Public != *c.Public) {
		return false
	}
	if c.HashMatch != "" && !slices.ContainsFunc(ms, func(mm MediaMatch) bool {
		return (c.HashMatch == "block" && mm.Kind == "block") || mm.List == c.HashMatch
	}) {
		return false
	}
	return true
}

// String describes the conditions for people, e.g. "csam ≥ 0.9, public".
func (c Conditions) String() string {
	var parts []string
	labels := make([]string, 0, len(c.Scores))
	for l := range c.Scores {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%s ≥ %g", l, c.Scores[l]))
	}
	if len(c.LabelsAny) > 0 {
		parts = append(parts, "label in "+strings.Join(c.LabelsAny, ", "))
	}
	if c.Public != nil {
		if *c.Public {
			parts = append(parts, "public")
		} else {
			parts = append(parts, "not public")
		}
	}
	if c.HashMatch == "block" {
		parts = append(parts, "a block-list match")
	} else if c.HashMatch != "" {
		parts = append(parts, "a match on "+c.HashMatch)
	}
	if len(parts) == 0 {
		return "every item"
	}
	return strings.Join(parts, ", ")
}

// ParseConditions reads conditions from their JSON form.
func ParseConditions(s string) (Conditions, error) {
	var c Conditions
	if strings.TrimSpace(s) == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, Invalid("conditions", "must be JSON such as {\"scores\":{\"csam\":0.9},\"labels_any\":[\"reported\"],\"public\":true}")
	}
	return c, nil
}

// Route picks the rule for an item from source with metadata m. rules must
// be in evaluation order (see OrderRules). ok is false when the default
// queue should take the item.
func Route(rules []Rule, sourceID int64, m Metadata, ms []MediaMatch) (Rule, bool) {
	for _, r := range rules {
		if !r.Enabled || (r.SourceID != 0 && r.SourceID != sourceID) {
			continue
		}
		if r.Conditions.Match(m, ms) {
			return r, true
		}
	}
	return Rule{}, false
}

// OrderRules sorts rules into evaluation order: per-source rules before
// global ones, each by position.
func OrderRules(rules []Rule) {
	slices.SortStableFunc(rules, func(a, b Rule) int {
		ga, gb := a.SourceID == 0, b.SourceID == 0
		switch {
		case ga != gb && ga:
			return 1
		case ga != gb:
			return -1
		}
		return a.Position - b.Position
	})
}

// ParseScores reads thresholds written as "csam >= 0.9, nudity >= 0.75".
func ParseScores(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		label, th, ok := strings.Cut(part, ">=")
		label = strings.TrimSpace(label)
		var f float64
		_, err := fmt.Sscanf(strings.TrimSpace(th), "%g", &f)
		if !ok || label == "" || err != nil || f < 0 || f > 1 {
			return nil, Invalid("scores", fmt.Sprintf("%q: write label >= threshold, with a threshold from 0 to 1", part))
		}
		out[label] = f
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// FormatScores writes thresholds the way ParseScores reads them.
func FormatScores(m map[string]float64) string {
	labels := make([]string, 0, len(m))
	for l := range m {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = fmt.Sprintf("%s >= %g", l, m[l])
	}
	return strings.Join(parts, ", ")
}
