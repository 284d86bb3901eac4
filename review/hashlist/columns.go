package hashlist

import "strings"

// Column names, shared by the CSV header and the JSON Lines keys so that a
// problem can name the field the same way in both formats.
const (
	colHashType  = "hash_type"
	colHashValue = "hash_value"
	colCategory  = "category"
	colStatus    = "status"
	colReason    = "reason"
	colVersion   = "version"
	colSource    = "source"
	colAddedAt   = "added_at"
)

// columns lists every column in export order. The last three are the
// exporter's bookkeeping: import accepts them, so that an export can be
// re-imported, and ignores them, because the importing side assigns its own.
var columns = []string{colHashType, colHashValue, colCategory, colStatus, colReason, colVersion, colSource, colAddedAt}

var knownColumns = strings.Join(columns, ", ")

// columnIndex returns name's position in columns, or -1.
func columnIndex(name string) int {
	for i, c := range columns {
		if c == name {
			return i
		}
	}
	return -1
}

func isColumn(name string) bool { return columnIndex(name) >= 0 }
