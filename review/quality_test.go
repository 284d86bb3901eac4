package review

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The share of decisions drawn for QA stays within four standard
// deviations of the queue's setting over 10,000 decisions, for several
// seeds and settings; 0 and 100 are exact.
func TestSamplingRateOver10000Decisions(t *testing.T) {
	const n = 10000
	for _, percent := range []int{0, 1, 5, 20, 50, 100} {
		for seed := range uint64(4) {
			random := rand.NewChaCha8([32]byte{byte(seed), byte(percent)})
			got := 0
			for range n {
				ok, err := Sampled(percent, random)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got++
				}
			}
			p := float64(percent) / 100
			want, sd := n*p, math.Sqrt(n*p*(1-p))
			if math.Abs(float64(got)-want) > 4*sd {
				t.Errorf("%d%% (seed %d): %d of %d sampled, want %.0f ± %.0f", percent, seed, got, n, want, 4*sd)
			}
		}
	}
}

func l(v Verdict, c string) Label { return LabelOf(v, c) }

var (
	notV = l(NotViolating, "")
	a1   = l(Violating, "A1")
	b2   = l(Violating, "B2")
)

// pairs repeats (original, second look) n times.
func pairs(n int, orig, qa Label) [][2]Label {
	out := make([][2]Label, n)
	for i := range out {
		out[i] = [2]Label{orig, qa}
	}
	return out
}

// TestKappaWorkedExample checks Cohen's kappa against this example,
// worked by hand. Ten samples, original decision vs blind second look:
//
//	not violating / not violating  4
//	violating A1  / violating A1   3
//	violating B2  / violating B2   1
//	not violating / violating A1   1
//	violating A1  / violating B2   1   (same verdict, other category: disagree)
//
// Observed agreement po = 8/10 = 0.80.
// Original labels: not violating 5, A1 4, B2 1; second looks: not
// violating 4, A1 4, B2 2. Chance agreement
// pe = (5·4 + 4·4 + 1·2) / 10² = 38/100 = 0.38.
// kappa = (po − pe) / (1 − pe) = 0.42 / 0.62 = 21/31 ≈ 0.6774.
func TestKappaWorkedExample(t *testing.T) {
	var ps [][2]Label
	ps = append(ps, pairs(4, notV, notV)...)
	ps = append(ps, pairs(3, a1, a1)...)
	ps = append(ps, pairs(1, b2, b2)...)
	ps = append(ps, pairs(1, notV, a1)...)
	ps = append(ps, pairs(1, a1, b2)...)
	k, ok := Kappa(ps)
	if !ok || math.Abs(k-21.0/31.0) > 1e-12 {
		t.Fatalf("kappa = %v (defined %v), want 21/31 = 0.6774", k, ok)
	}
	var samples []Sample
	for i, p := range ps {
		samples = append(samples, Sample{ID: int64(i + 1), Original: p[0], QA: p[1], QAReviewerID: 9})
	}
	a := Agree("all", samples)
	if a.Count != 10 || a.Agreed != 8 || a.RateText() != "80.0%" || a.KappaText() != "0.68" {
		t.Errorf("agreement = %+v (%s, kappa %s), want 8 of 10 (80.0%%, kappa 0.68)", a, a.RateText(), a.KappaText())
	}
}

func TestKappaEdgeCases(t *testing.T) {
	cases := []struct {
		name  string
		pairs [][2]Label
		want  float64
		ok    bool
	}{
		{"no pairs", nil, 0, false},
		{"one label throughout", pairs(7, notV, notV), 0, false},
		{"perfect, two labels", append(pairs(3, notV, notV), pairs(2, a1, a1)...), 1, true},
		{"always opposite", append(pairs(1, notV, a1), pairs(1, a1, notV)...), -1, true},
		// po = 0.5; pe = (1·2 + 1·0)/4 = 0.5: no better than chance.
		{"chance", [][2]Label{{notV, notV}, {a1, notV}}, 0, true},
	}
	for _, tc := range cases {
		k, ok := Kappa(tc.pairs)
		if ok != tc.ok || math.Abs(k-tc.want) > 1e-12 {
			t.Errorf("%s: kappa = %v (defined %v), want %v (defined %v)", tc.name, k, ok, tc.want, tc.ok)
		}
	}
}

// The report groups by who made the original decision, its category and
// how it was made, counting only samples with a second look.
func TestReportGroups(t *testing.T) {
	samples := []Sample{
		{DecidedByEmail: "ana@x", Source: SourceHuman, Original: a1, QA: a1, QAReviewerID: 2},
		{DecidedByEmail: "ana@x", Source: SourceCluster, Original: a1, QA: b2, QAReviewerID: 2},
		{DecidedByEmail: "bo@x", Source: SourceHuman, Original: notV, QA: notV, QAReviewerID: 1},
		{DecidedByEmail: "lead@x", Source: SourceAutomated, Original: a1, QA: a1, QAReviewerID: 1},
		{DecidedByEmail: "bo@x", Source: SourceHuman, Original: notV}, // open: no second look yet
	}
	r := Report(samples)
	check := func(name string, got []Agreement, want map[string][2]int) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, want %d: %+v", name, len(got), len(want), got)
		}
		for _, a := range got {
			if w := want[a.Key]; a.Count != w[0] || a.Agreed != w[1] {
				t.Errorf("%s %q: %d of %d agree, want %d of %d", name, a.Key, a.Agreed, a.Count, w[1], w[0])
			}
		}
	}
	check("by reviewer", r.ByReviewer, map[string][2]int{"ana@x": {2, 1}, "bo@x": {1, 1}, "lead@x": {1, 1}})
	check("by category", r.ByCategory, map[string][2]int{"violating:A1": {3, 2}, "not_violating": {1, 1}})
	check("by source", r.BySource, map[string][2]int{SourceHuman: {2, 2}, SourceCluster: {1, 0}, SourceAutomated: {1, 1}})
	if r.Overall.Count != 4 || r.Overall.Agreed != 3 {
		t.Errorf("overall = %+v, want 3 of 4", r.Overall)
	}
}

// closedRun is n closed samples of automated decisions, newest first, the
// first bad of them overturned by a lead.
func closedRun(n, bad int) []Sample {
	out := make([]Sample, n)
	for i := range out {
		out[i] = Sample{Source: SourceAutomated, Original: a1, QA: a1, Status: SampleAgreed}
		if i < bad {
			out[i].QA, out[i].Final, out[i].Status = notV, notV, SampleResolved
		}
	}
	return out
}

func TestAutomationFailing(t *testing.T) {
	upheldByLead := closedRun(40, 0)
	for i := range 3 { // the second look disagreed, the lead sided with automation
		upheldByLead[i].QA, upheldByLead[i].Final, upheldByLead[i].Status = notV, a1, SampleResolved
	}
	cases := []struct {
		name    string
		samples []Sample
		failing bool
	}{
		{"none yet", nil, false},
		{"too few to judge", closedRun(19, 19), false},
		{"95% of 20 upheld", closedRun(20, 1), false},
		{"90% of 20 upheld", closedRun(20, 2), true},
		{"11 of the last 200 overturned", closedRun(200, 11), true},
		{"10 of the last 200 overturned", closedRun(200, 10), false},
		{"overturned ones older than the last 200", append(closedRun(200, 0), closedRun(50, 50)...), false},
		{"disagreements the lead settled for automation", upheldByLead, false},
	}
	for _, tc := range cases {
		if _, got := AutomationFailing(tc.samples); got != tc.failing {
			t.Errorf("%s: failing = %v, want %v", tc.name, got, tc.failing)
		}
	}
}

func TestLabelValidate(t *testing.T) {
	q := NewQueue("q")
	for _, tc := range []struct {
		l  Label
		ok bool
	}{{a1, true}, {notV, true}, {l(Violating, "Z9"), false}, {l(Escalate, ""), false}, {l(Skip, ""), false}} {
		if err := tc.l.Validate(q); (err == nil) != tc.ok {
			t.Errorf("%v: %v", tc.l, err)
		}
	}
	if LabelOf(NotViolating, "A1") != notV {
		t.Error("a category counted on a not-violating label")
	}
}
