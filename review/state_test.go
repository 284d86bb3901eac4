package review

import "testing"

func TestDecide(t *testing.T) {
	one, two := NewQueue("one"), NewQueue("two")
	two.RequiredReviews = 2
	esc := NewQueue(EscalationQueue)
	viol := Decision{Verdict: Violating, Category: "A1"}
	first := Decision{Verdict: Violating, Category: "A1"}
	cases := []struct {
		name   string
		status ItemStatus
		q      Queue
		d      Decision
		first  *Decision
		want   Outcome
	}{
		{"single review violating", StatusQueued, one, viol, nil, Outcome{Kind: KindFirst, Status: StatusDecided, Final: true}},
		{"single review not violating", StatusQueued, one, Decision{Verdict: NotViolating}, nil, Outcome{Kind: KindFirst, Status: StatusDecided, Final: true}},
		{"two-person first violating", StatusQueued, two, viol, nil, Outcome{Kind: KindFirst, Status: StatusSecondReview}},
		{"two-person first not violating", StatusQueued, two, Decision{Verdict: NotViolating}, nil, Outcome{Kind: KindFirst, Status: StatusDecided, Final: true}},
		{"second agrees", StatusSecondReview, two, viol, &first, Outcome{Kind: KindSecond, Status: StatusDecided, Final: true}},
		{"second disagrees on category", StatusSecondReview, two, Decision{Verdict: Violating, Category: "B2"}, &first, Outcome{Kind: KindSecond, Status: StatusEscalated, Escalate: true}},
		{"second disagrees on verdict", StatusSecondReview, two, Decision{Verdict: NotViolating}, &first, Outcome{Kind: KindSecond, Status: StatusEscalated, Escalate: true}},
		{"escalate", StatusQueued, one, Decision{Verdict: Escalate, Note: "unsure"}, nil, Outcome{Kind: KindFirst, Status: StatusEscalated, Escalate: true}},
		{"skip", StatusQueued, one, Decision{Verdict: Skip, Note: "conflict"}, nil, Outcome{Kind: KindFirst, Status: StatusQueued, Release: true}},
		{"skip second review", StatusSecondReview, two, Decision{Verdict: Skip, Note: "x"}, &first, Outcome{Kind: KindSecond, Status: StatusSecondReview, Release: true}},
		{"lead decides escalation", StatusEscalated, esc, viol, nil, Outcome{Kind: KindEscalation, Status: StatusDecided, Final: true}},
	}
	for _, tc := range cases {
		if got := Decide(tc.status, tc.q, tc.d, tc.first); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestValidateDecision(t *testing.T) {
	q := NewQueue("q")
	ok := []Decision{
		{Verdict: Violating, Category: "B1", Annotations: []string{"viral"}},
		{Verdict: NotViolating},
		{Verdict: Escalate, Note: "needs a lead"},
		{Verdict: Skip, Note: "I know this account"},
	}
	for _, d := range ok {
		if err := ValidateDecision(d, q); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
	}
	bad := []Decision{
		{Verdict: Violating},
		{Verdict: Violating, Category: "Z9"},
		{Verdict: Violating, Category: "A1", Annotations: []string{"made-up"}},
		{Verdict: Escalate},
		{Verdict: Skip},
		{Verdict: "maybe"},
		{Verdict: NotViolating, Kind: KindOverride},
	}
	for _, d := range bad {
		if ValidateDecision(d, q) == nil {
			t.Errorf("accepted %+v", d)
		}
	}
}

func TestQueueValidateAndTaxonomy(t *testing.T) {
	q := NewQueue("urgent")
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	parsed := ParseTaxonomy(FormatTaxonomy(DefaultTaxonomy))
	if len(parsed) != len(DefaultTaxonomy) || parsed[4] != DefaultTaxonomy[4] {
		t.Errorf("taxonomy round trip: %+v", parsed)
	}
	for _, mutate := range []func(*Queue){
		func(q *Queue) { q.Name = "Bad Name" },
		func(q *Queue) { q.RequiredReviews = 3 },
		func(q *Queue) { q.Policy.ReblurSeconds = 0 },
		func(q *Queue) { q.Policy.Steps = []string{"x-ray"} },
		func(q *Queue) { q.Taxonomy = nil },
		func(q *Queue) { q.Taxonomy = []Category{{Code: "A1"}, {Code: "A1"}} },
		func(q *Queue) { q.SLAHours = 0 },
	} {
		bad := NewQueue("q")
		mutate(&bad)
		if bad.Validate() == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
