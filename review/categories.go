package review

// CategoryDef is what a category code means, shown beside the code on the
// review screen.
type CategoryDef struct {
	Code       string
	Definition string
}

// defaultDefinitions explain the codes of DefaultTaxonomy (the industry
// classification); leads may change them per queue.
var defaultDefinitions = map[string]string{
	"A1":    "Prepubescent: sex act",
	"A2":    "Prepubescent: lascivious exhibition",
	"B1":    "Pubescent: sex act",
	"B2":    "Pubescent: lascivious exhibition",
	"other": "Other severe harm",
}

// DefaultCategoryDefs defines each category of a taxonomy: the default
// definition of its code, else its label.
func DefaultCategoryDefs(taxonomy []Category) []CategoryDef {
	out := make([]CategoryDef, len(taxonomy))
	for i, c := range taxonomy {
		d, ok := defaultDefinitions[c.Code]
		if !ok {
			d = c.Label
		}
		out[i] = CategoryDef{Code: c.Code, Definition: d}
	}
	return out
}
