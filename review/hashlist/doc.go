// Package hashlist holds the pure parts of Loupe's hash lists: "block" lists
// of known harmful content and "allow" lists of known false positives. It
// defines the entry type and its validation, and the CSV and JSON Lines
// formats in which entries are exchanged with partner organisations.
//
// Parsing reports every rejected row with its line number rather than
// stopping at the first, so a partner can fix a file in one pass; deciding
// that an import with any rejected row changes nothing is the caller's job.
// Storage and HTTP live elsewhere and call this package.
package hashlist
