package review

import (
	"cmp"
	"fmt"
	"slices"
)

// Agreement is how often the original decisions and the blind second
// looks of one group of samples agree, with Cohen's kappa over their
// labels and the number of samples behind both.
type Agreement struct {
	Key    string
	Count  int
	Agreed int
	Kappa  float64
	// KappaDefined is false when kappa is not a number: no samples, or
	// both raters used one and the same label throughout (chance agreement
	// is then certain).
	KappaDefined bool
}

// Rate is the share of samples that agree (0 without samples).
func (a Agreement) Rate() float64 {
	if a.Count == 0 {
		return 0
	}
	return float64(a.Agreed) / float64(a.Count)
}

// KappaText shows kappa with two decimals, or "n/a" where undefined.
func (a Agreement) KappaText() string {
	if !a.KappaDefined {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a.Kappa)
}

// RateText shows the agreement as a percentage, or "n/a" without samples.
func (a Agreement) RateText() string {
	if a.Count == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*a.Rate())
}

// Kappa is Cohen's kappa of two raters over paired labels:
// (po - pe) / (1 - pe), where po is the share of pairs that agree and pe
// the agreement expected by chance from each rater's own label shares.
// ok is false when it is undefined (no pairs, or pe = 1).
func Kappa(pairs [][2]Label) (kappa float64, ok bool) {
	n := len(pairs)
	if n == 0 {
		return 0, false
	}
	first, second := map[Label]int{}, map[Label]int{}
	agreed := 0
	for _, p := range pairs {
		first[p[0]]++
		second[p[1]]++
		if p[0] == p[1] {
			agreed++
		}
	}
	// Whole counts until the last step: pe = sum(first*second) / n².
	chance := 0
	for l, c := range first {
		chance += c * second[l]
	}
	if chance == n*n {
		return 0, false
	}
	po, pe := float64(agreed)/float64(n), float64(chance)/float64(n*n)
	return (po - pe) / (1 - pe), true
}

// Agree folds samples that have a second look into one Agreement.
func Agree(key string, samples []Sample) Agreement {
	a := Agreement{Key: key}
	var pairs [][2]Label
	for _, s := range samples {
		if s.QAReviewerID == 0 {
			continue
		}
		pairs = append(pairs, [2]Label{s.Original, s.QA})
		a.Count++
		if s.Agrees() {
			a.Agreed++
		}
	}
	a.Kappa, a.KappaDefined = Kappa(pairs)
	return a
}

// AgreementBy groups samples by key and folds each group, by key.
func AgreementBy(samples []Sample, key func(Sample) string) []Agreement {
	groups := map[string][]Sample{}
	for _, s := range samples {
		if s.QAReviewerID != 0 {
			groups[key(s)] = append(groups[key(s)], s)
		}
	}
	out := make([]Agreement, 0, len(groups))
	for k, g := range groups {
		out = append(out, Agree(k, g))
	}
	slices.SortFunc(out, func(a, b Agreement) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// QualityReport is the QA page's figures: overall, and per reviewer of
// the original decision, per its category and per how it was made.
type QualityReport struct {
	Overall    Agreement
	ByReviewer []Agreement
	ByCategory []Agreement
	BySource   []Agreement
}

// Report computes the QA figures of samples.
func Report(samples []Sample) QualityReport {
	return QualityReport{
		Overall:    Agree("all", samples),
		ByReviewer: AgreementBy(samples, func(s Sample) string { return s.DecidedByEmail }),
		ByCategory: AgreementBy(samples, func(s Sample) string { return s.Original.String() }),
		BySource:   AgreementBy(samples, func(s Sample) string { return s.Source }),
	}
}

// AutomationFailing judges automation on its latest closed samples
// (newest first, at most AutomationWindow used): it fails when at least
// AutomationMinSamples were checked and fewer than AutomationMinAgreement
// of them were upheld. It returns the upheld share it saw.
func AutomationFailing(closed []Sample) (upheld Agreement, failing bool) {
	window := closed[:min(len(closed), AutomationWindow)]
	upheld = Agreement{Key: SourceAutomated, Count: len(window)}
	for _, s := range window {
		if s.Upheld() {
			upheld.Agreed++
		}
	}
	return upheld, upheld.Count >= AutomationMinSamples && upheld.Rate() < AutomationMinAgreement
}
