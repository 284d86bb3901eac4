package review

import (
	"context"
	"fmt"
	"strings"
)

// CategoryDef says what a category code means, shown beside the code
// wherever a reviewer or lead chooses or reads one.
type CategoryDef struct {
	Code       string
	Definition string
}

// DefaultCategoryDefs define the default taxonomy's codes (the industry
// classification) until a lead writes the queue's own.
var DefaultCategoryDefs = map[string]string{
	"A1":    "Prepubescent child: sexual act.",
	"A2":    "Prepubescent child: lascivious exhibition.",
	"B1":    "Pubescent child: sexual act.",
	"B2":    "Pubescent child: lascivious exhibition.",
	"other": "Other severe harm that the codes above do not cover.",
}

// ActionCategoriesSaved audits a lead's change to a queue's definitions.
const ActionCategoriesSaved = "queue.categories_changed"

// MaxDefinitionLength caps one definition.
const MaxDefinitionLength = 500

// CategoryStore keeps each queue's definitions by code.
type CategoryStore interface {
	FindCategoryDefs(ctx context.Context, queueID int64) (map[string]string, error)
	SetCategoryDefs(ctx context.Context, queueID int64, defs []CategoryDef, ev AuditEvent) error
}

// CategoryDefs lists a queue's categories, in its taxonomy's order, with
// their definitions: the queue's own, else the default for the code, else
// the category's label.
func CategoryDefs(q Queue, stored map[string]string) []CategoryDef {
	out := make([]CategoryDef, 0, len(q.Taxonomy))
	for _, c := range q.Taxonomy {
		d := stored[c.Code]
		if d == "" {
			d = DefaultCategoryDefs[c.Code]
		}
		if d == "" && c.Label != c.Code {
			d = c.Label
		}
		out = append(out, CategoryDef{Code: c.Code, Definition: d})
	}
	return out
}

// ParseCategoryDefs reads the definitions form: one field "def_CODE" per
// category of q; an empty field falls back to the default.
func ParseCategoryDefs(q Queue, get func(string) string) ([]CategoryDef, error) {
	var v ValidationError
	var out []CategoryDef
	for _, c := range q.Taxonomy {
		d := strings.TrimSpace(get("def_" + c.Code))
		if len(d) > MaxDefinitionLength {
			v.Add("def_"+c.Code, fmt.Sprintf("%s: keep it under %d characters", c.Code, MaxDefinitionLength))
		}
		if d != "" {
			out = append(out, CategoryDef{Code: c.Code, Definition: d})
		}
	}
	return out, v.Err()
}
