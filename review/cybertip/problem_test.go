package cybertip

import (
	"testing"
	"time"
)

func TestProblemChecks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(*problems)
		bad   bool
	}{
		{"email", func(ps *problems) { ps.email("f", "trust@example.org") }, false},
		{"email empty is for required", func(ps *problems) { ps.email("f", "") }, false},
		{"email no domain", func(ps *problems) { ps.email("f", "trust@") }, true},
		{"email with name", func(ps *problems) { ps.email("f", `"Trust" <trust@example.org>`) }, true},
		{"url https", func(ps *problems) { ps.url("f", "https://example.org/p/1?x=1") }, false},
		{"url http", func(ps *problems) { ps.url("f", "http://example.org") }, false},
		{"url no host", func(ps *problems) { ps.url("f", "https:///p/1") }, true},
		{"url javascript", func(ps *problems) { ps.url("f", "javascript:alert(1)") }, true},
		{"url unparsable", func(ps *problems) { ps.url("f", "http://exa mple.org/%zz") }, true},
		{"ipv4", func(ps *problems) { ps.ip("f", "192.0.2.1") }, false},
		{"ipv6", func(ps *problems) { ps.ip("f", "2001:db8::1") }, false},
		{"ip with port", func(ps *problems) { ps.ip("f", "192.0.2.1:443") }, true},
		{"ip empty", func(ps *problems) { ps.ip("f", "") }, true},
		{"now is not future", func(ps *problems) { ps.notFuture("f", testNow, testNow) }, false},
		{"zero is not future", func(ps *problems) { ps.notFuture("f", time.Time{}, testNow) }, false},
		{"a nanosecond ahead", func(ps *problems) { ps.notFuture("f", testNow.Add(1), testNow) }, true},
		{"event empty", func(ps *problems) { ps.event("f", "") }, false},
		{"event unknown", func(ps *problems) { ps.event("f", "login") }, true},
	} {
		var ps problems
		tc.check(&ps)
		if bad := len(ps) > 0; bad != tc.bad {
			t.Errorf("%s: problems %v, want problem %v", tc.name, ps, tc.bad)
		}
	}
}

func TestTimePtr(t *testing.T) {
	if timePtr(time.Time{}) != nil {
		t.Error("zero time gave an element")
	}
	local := time.Date(2025, 11, 18, 21, 0, 0, 0, time.FixedZone("UTC+9", 9*3600))
	if p := timePtr(local); p == nil || p.Location() != time.UTC || !p.Equal(local) {
		t.Errorf("timePtr(%v) = %v, want the same instant in UTC", local, p)
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{Field: "Org.Reporter.Email", Message: "is required"}
	if got := p.String(); got != "Org.Reporter.Email: is required" {
		t.Errorf("String() = %q", got)
	}
}
