package hashlist

import (
	"reflect"
	"strings"
	"testing"
)

// The JSON Lines keys must be the CSV columns in the same order, or the two
// formats would drift apart.
func TestExportRowMatchesColumns(t *testing.T) {
	typ := reflect.TypeFor[exportRow]()
	if typ.NumField() != len(columns) {
		t.Fatalf("exportRow has %d fields, columns has %d", typ.NumField(), len(columns))
	}
	for i, col := range columns {
		if tag := typ.Field(i).Tag.Get("json"); tag != col {
			t.Errorf("exportRow field %d has json tag %q, want %q", i, tag, col)
		}
		if !isColumn(col) {
			t.Errorf("isColumn(%q) = false", col)
		}
	}
	for _, name := range []string{"", "Hash_Type", "hash_type ", "added_by"} {
		if isColumn(name) {
			t.Errorf("isColumn(%q) = true", name)
		}
	}
	if !strings.HasPrefix(knownColumns, "hash_type, hash_value, ") {
		t.Errorf("knownColumns = %q", knownColumns)
	}
}
