package review

import (
	"strings"
	"testing"
)

func TestCategoryDefsFallBackToDefaults(t *testing.T) {
	q := Queue{Taxonomy: append(append([]Category{}, DefaultTaxonomy...), Category{Code: "spam", Label: "Unsolicited bulk posts"}, Category{Code: "X9", Label: "X9"})}
	defs := CategoryDefs(q, map[string]string{"A2": "Our own wording."})
	got := map[string]string{}
	for _, d := range defs {
		got[d.Code] = d.Definition
	}
	if len(defs) != len(q.Taxonomy) || defs[0].Code != "A1" {
		t.Fatalf("defs not in taxonomy order: %v", defs)
	}
	if got["A1"] != DefaultCategoryDefs["A1"] || got["A2"] != "Our own wording." || got["spam"] != "Unsolicited bulk posts" || got["X9"] != "" {
		t.Errorf("definitions: %v", got)
	}
}

func TestParseCategoryDefs(t *testing.T) {
	q := Queue{Taxonomy: DefaultTaxonomy}
	form := map[string]string{"def_A1": "  Mine.  ", "def_B2": strings.Repeat("x", MaxDefinitionLength+1)}
	if _, err := ParseCategoryDefs(q, func(k string) string { return form[k] }); err == nil {
		t.Error("an over-long definition was accepted")
	}
	delete(form, "def_B2")
	defs, err := ParseCategoryDefs(q, func(k string) string { return form[k] })
	if err != nil || len(defs) != 1 || defs[0] != (CategoryDef{"A1", "Mine."}) {
		t.Errorf("ParseCategoryDefs = %v, %v", defs, err)
	}
}
