package review

import "testing"

func TestRoute(t *testing.T) {
	yes, no := true, false
	p90 := 90
	rules := []Rule{
		{ID: 1, Position: 1, Name: "public high", Conditions: Conditions{Scores: map[string]float64{"csam": 0.9}, Public: &yes}, Queue: "urgent", Priority: &p90, Enabled: true},
		{ID: 2, Position: 2, Name: "labelled", Conditions: Conditions{LabelsAny: []string{"user_report"}}, Queue: "reports", Enabled: true},
		{ID: 3, Position: 1, SourceID: 7, Name: "source 7 private", Conditions: Conditions{Public: &no}, Queue: "dm", Enabled: true},
		{ID: 4, Position: 0, Name: "disabled catch-all", Queue: "nowhere", Enabled: false},
	}
	OrderRules(rules)
	if rules[0].ID != 3 {
		t.Fatalf("per-source rule not first: %+v", rules[0])
	}
	meta := func(score float64, public *bool, labels ...string) Metadata {
		return Metadata{ExternalID: "x", Classifier: &Classifier{Scores: map[string]float64{"csam": score}}, Context: &Context{Public: public}, Labels: labels}
	}
	cases := []struct {
		name   string
		source int64
		m      Metadata
		want   int64 // 0: default queue
	}{
		{"high public", 1, meta(0.95, &yes), 1},
		{"threshold is inclusive", 1, meta(0.9, &yes), 1},
		{"high but private", 1, meta(0.95, &no), 0},
		{"private from source 7", 7, meta(0.95, &no), 3},
		{"unknown visibility", 1, meta(0.95, nil), 0},
		{"label", 1, meta(0.1, nil, "spam", "user_report"), 2},
		{"no classifier", 1, Metadata{ExternalID: "x"}, 0},
	}
	for _, tc := range cases {
		r, ok := Route(rules, tc.source, tc.m, nil)
		if got := map[bool]int64{true: r.ID, false: 0}[ok]; got != tc.want {
			t.Errorf("%s: rule %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRuleValidate(t *testing.T) {
	bad := 101
	if (Rule{Name: "x", Queue: "q"}).Validate() != nil {
		t.Error("valid rule refused")
	}
	for _, r := range []Rule{{Queue: "q"}, {Name: "x"}, {Name: "x", Queue: "q", Priority: &bad}, {Name: "x", Queue: "q", Conditions: Conditions{Scores: map[string]float64{"a": 2}}}} {
		if r.Validate() == nil {
			t.Errorf("accepted %+v", r)
		}
	}
}

func TestParseScores(t *testing.T) {
	m, err := ParseScores(" csam>=0.9 , nudity >= 0.75,")
	if err != nil || m["csam"] != 0.9 || m["nudity"] != 0.75 || len(m) != 2 {
		t.Fatalf("%v %v", m, err)
	}
	if FormatScores(m) != "csam >= 0.9, nudity >= 0.75" {
		t.Errorf("format %q", FormatScores(m))
	}
	for _, bad := range []string{"csam", "csam >= 2", ">= 0.5", "csam >= x"} {
		if _, err := ParseScores(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if m, err := ParseScores(""); m != nil || err != nil {
		t.Errorf("empty: %v %v", m, err)
	}
}
