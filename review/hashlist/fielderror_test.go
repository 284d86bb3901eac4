package hashlist

import (
	"errors"
	"strings"
	"testing"
)

func TestProblemsKeepFirstPerField(t *testing.T) {
	var p problems
	p.add("status", "first")
	p.add("status", "second")
	p.addErr(&FieldError{Field: "category", Problem: "third"})
	p.addErr(errors.New("plain"))
	if got, want := p.Error(), "status: first; category: third; entry: plain"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	var fe *FieldError
	if !errors.As(error(p), &fe) || fe.Field != "status" {
		t.Fatalf("errors.As found %v, want the status problem", fe)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"abc", `"abc"`},
		{"a\nb", `"a\nb"`},
		{"\xff", `"\xff"`},
		{strings.Repeat("x", 50), `"` + strings.Repeat("x", 40) + `"…`},
		// The cut backs off to a rune boundary rather than split "é".
		{strings.Repeat("x", 39) + "é" + "yyyy", `"` + strings.Repeat("x", 39) + `"…`},
	}
	for _, tt := range tests {
		if got := quote(tt.in); got != tt.want {
			t.Errorf("quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
