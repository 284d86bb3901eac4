package hashlist

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status says whether an entry is in force.
type Status string

const (
	Active Status = "active"
	// Retracted entries are kept, with a reason, so that delta exports can
	// tell partners to remove them.
	Retracted Status = "retracted"
)

// Source says how an entry came to be on a list.
type Source string

const (
	SourceDecision Source = "decision" // a reviewer's decision on an item
	SourceImport   Source = "import"   // a file from a partner
	SourceManual   Source = "manual"   // typed in by an administrator
)

// Entry is one hash on a block or allow list.
type Entry struct {
	Type     HashType
	Value    string // canonical form, see NormalizeValue
	Category string
	Status   Status
	Reason   string // why it was retracted
	Source   Source
	AddedBy  string // never exported: partners see no reviewer names
	AddedAt  time.Time
	Version  int64
}

// Limits on free text. Category is a short label partners filter on;
// Reason is a sentence for a person.
const (
	MaxCategoryBytes = 64
	MaxReasonBytes   = 1024
)

// Validate reports every problem with e in one error, which unwraps to a
// *FieldError per field (errors.As finds the first). Value must already be
// canonical: callers normalise input with NormalizeValue, and storage keeps
// only canonical values so that equal hashes compare equal.
func (e Entry) Validate() error {
	if p := e.problems(); len(p) > 0 {
		return p
	}
	return nil
}

func (e Entry) problems() problems {
	var p problems
	if !e.Type.known() {
		p.add(colHashType, fmt.Sprintf("unknown hash type %s (want pdq, md5 or sha256)", quote(string(e.Type))))
	} else if v, err := NormalizeValue(e.Type, e.Value); err != nil {
		p.addErr(err)
	} else if v != e.Value {
		p.add(colHashValue, "not in canonical form (lower-case hex without spaces)")
	}
	if e.Status != Active && e.Status != Retracted {
		p.add(colStatus, fmt.Sprintf("unknown status %s (want active or retracted)", quote(string(e.Status))))
	}
	if msg := checkText(e.Category, MaxCategoryBytes); msg != "" {
		p.add(colCategory, msg)
	}
	if msg := checkText(e.Reason, MaxReasonBytes); msg != "" {
		p.add(colReason, msg)
	}
	if e.Status == Retracted && e.Reason == "" {
		p.add(colReason, "required when status is retracted")
	}
	switch e.Source {
	case "", SourceDecision, SourceImport, SourceManual:
	default:
		p.add(colSource, fmt.Sprintf("unknown source %s (want decision, import or manual)", quote(string(e.Source))))
	}
	if e.Version < 0 {
		p.add(colVersion, "negative")
	}
	return p
}

// checkText returns what is wrong with a free-text field, or "". Text is
// written verbatim into partner files and opened in spreadsheets, so it must
// be one line of printable UTF-8 that cannot be read as a formula.
func checkText(s string, max int) string {
	switch {
	case s == "":
		return ""
	case len(s) > max:
		return fmt.Sprintf("longer than %d bytes (got %d)", max, len(s))
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case strings.TrimSpace(s) != s:
		return "has spaces at the start or end"
	case strings.ContainsAny(s[:1], "=+-@"):
		return fmt.Sprintf("starts with %q, which spreadsheets read as a formula", s[:1])
	}
	for i, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Sprintf("has a non-printable character %U at byte %d", r, i+1)
		}
	}
	return ""
}
