package review

import (
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review/pdq"
)

// SearchPDQThreshold is the largest Hamming distance (of 256 bits) at
// which search counts a PDQ hash as the same picture: the usual threshold
// for near-duplicates, above which unrelated images start to match.
const SearchPDQThreshold = 31

// SearchPerPage is how many items one page of search results shows.
const SearchPerPage = 24

// SearchQuery is what a lead typed in the search box, read every way it
// can be read: an item id, an external id, an uploader account id or
// screen name, a SHA-256, an MD5 or a PDQ hash.
type SearchQuery struct {
	Text   string   // trimmed, as typed: external id, account id, screen name
	ItemID int64    // when Text is a whole number
	MD5    string   // when Text is 32 hex digits, lower case
	SHA256 string   // when Text is 64 hex digits, lower case
	PDQ    pdq.Hash // when Text is 64 hex digits
	HasPDQ bool
	Page   int // from 1
}

// ParseSearch reads text as every key it could be.
func ParseSearch(text string, page int) (SearchQuery, error) {
	q := SearchQuery{Text: strings.TrimSpace(text), Page: max(page, 1)}
	if q.Text == "" {
		return q, Invalid("q", "type an item id, external id, account id, screen name, SHA-256, MD5 or PDQ hash")
	}
	if len(q.Text) > 256 {
		return q, Invalid("q", "search text is at most 256 characters")
	}
	if n, err := strconv.ParseInt(q.Text, 10, 64); err == nil && n > 0 {
		q.ItemID = n
	}
	hex := strings.ToLower(q.Text)
	if isHex(hex) {
		switch len(hex) {
		case 32:
			q.MD5 = hex
		case 64:
			q.SHA256 = hex
			if h, err := pdq.ParseHash(hex); err == nil {
				q.PDQ, q.HasPDQ = h, true
			}
		}
	}
	return q, nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// SearchHit is one item found and why.
type SearchHit struct {
	Item Item     // Media holds the first file only
	Why  []string // the keys that matched, e.g. "external id", "PDQ distance 12"
}

// SearchResults is one page of hits, newest item first, and how many.
type SearchResults struct {
	Hits  []SearchHit
	Total int
}

// Pages is how many pages the hits fill.
func (r SearchResults) Pages() int { return max(1, (r.Total+SearchPerPage-1)/SearchPerPage) }
