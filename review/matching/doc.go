// Package matching recognises known content at ingest: it holds the active
// entries of Loupe's hash lists in memory and answers which entries of which
// enabled lists a piece of media matches, by exact MD5 and SHA-256 and by
// PDQ distance over all eight rotations and reflections of the image.
//
// The database is the source of truth. The caller loads every active entry
// at start (Matcher.Load) and then applies each change as it commits
// (SetList, Add, Remove), so a new entry is matchable at once, with no
// restart. Block lists hold known harmful content; allow lists hold known
// false positives, and a match on one suppresses every block match of the
// same media (see Matcher.Match).
package matching
