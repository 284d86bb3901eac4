package web

import "github.com/loupe-review/loupe/review/hashlist"

func importRows(typ, value string) []hashlist.Row {
	return []hashlist.Row{{Line: 2, Entry: hashlist.Entry{Type: hashlist.HashType(typ), Value: value, Status: hashlist.Active}}}
}
