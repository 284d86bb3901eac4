package hashlist

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// FieldError says what is wrong with one field of an entry. Field is the CSV
// column or JSON Lines key, so a person can find it in the file, and so web
// can attach the problem to the matching form field.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// problems collects FieldErrors, keeping the first per field: the first is
// the most specific (a parse error beats the generic check that follows it).
type problems []FieldError

func (p *problems) add(field, problem string) {
	for _, q := range *p {
		if q.Field == field {
			return
		}
	}
	*p = append(*p, FieldError{Field: field, Problem: problem})
}

func (p *problems) addErr(err error) {
	if fe, ok := err.(*FieldError); ok {
		p.add(fe.Field, fe.Problem)
		return
	}
	p.add("entry", err.Error())
}

// Error joins the problems on one line, as a RowError reason.
func (p problems) Error() string {
	parts := make([]string, len(p))
	for i := range p {
		parts[i] = p[i].Error()
	}
	return strings.Join(parts, "; ")
}

func (p problems) Unwrap() []error {
	errs := make([]error, len(p))
	for i := range p {
		errs[i] = &p[i]
	}
	return errs
}

// maxQuoted bounds how much of a bad input an error repeats: a message must
// stay readable, and a 64 KiB value copied into each of thousands of
// rejected rows would turn a small file into a large report.
const maxQuoted = 40

// quote renders s for an error message, shortened and escaped so that
// control characters and invalid UTF-8 cannot break the report's lines.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
