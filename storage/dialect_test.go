package storage

import "testing"

func TestRebindNumbersPlaceholdersOutsideQuotesAndComments(t *testing.T) {
	cases := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?', "a?b", ? -- why?` + "\n" + `FROM t WHERE x = ?`, `SELECT '?', "a?b", $1 -- why?` + "\n" + `FROM t WHERE x = $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT '?`, `SELECT '?`}, // unterminated: left as it is
	}
	for _, tc := range cases {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	var r rebinder
	if a, b := r.rebind(`x = ?`), r.rebind(`x = ?`); a != `x = $1` || b != a {
		t.Errorf("cached rebind: %q then %q", a, b)
	}
}
