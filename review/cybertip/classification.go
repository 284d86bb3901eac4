package cybertip

import "slices"

// Classification is the industry classification scale that fileDetails
// accepts: A = prepubescent, B = pubescent; 1 = sex act, 2 = lascivious
// exhibition. NCMEC asks for it only from providers that signed the
// Industry Hash Sharing MOU, so it is optional.
type Classification string

// The classifications the schema accepts.
const (
	A1 Classification = "A1"
	A2 Classification = "A2"
	B1 Classification = "B1"
	B2 Classification = "B2"
)

// Classifications lists every classification in schema order.
var Classifications = []Classification{A1, A2, B1, B2}

// Valid reports whether c is one of the schema's classifications.
func (c Classification) Valid() bool { return slices.Contains(Classifications, c) }

// Taxonomy maps the labels reviewers choose to the classification sent to
// NCMEC. Other hotlines use their own categories, so the labels are
// configuration; a label mapped to "" is known but sends no classification
// (a local category with no industry equivalent).
type Taxonomy map[string]Classification

// DefaultTaxonomy is the industry scale itself: each label is its own
// classification.
func DefaultTaxonomy() Taxonomy {
	t := make(Taxonomy, len(Classifications))
	for _, c := range Classifications {
		t[string(c)] = c
	}
	return t
}

// Classify returns the classification for label. An empty label means the
// reviewer gave none and is fine; ok is false for a label the taxonomy does
// not know or one it maps to a value the schema would reject. A nil
// Taxonomy is the default one.
func (t Taxonomy) Classify(label string) (c Classification, ok bool) {
	if label == "" {
		return "", true
	}
	if t == nil {
		t = DefaultTaxonomy()
	}
	c, ok = t[label]
	if !ok || (c != "" && !c.Valid()) {
		return "", false
	}
	return c, true
}
