package review

import (
	"slices"
	"time"
)

// WaitingSorts are the columns a queue's waiting table sorts by, each in
// its natural direction first: priority and matches and score highest
// first, age oldest first, source by name.
var WaitingSorts = []string{"priority", "age", "source", "matches", "score"}

// WaitingPerPage is how many rows one page of a waiting table holds.
const WaitingPerPage = 50

// WaitingFilter narrows and orders a queue's waiting items.
type WaitingFilter struct {
	QueueID  int64
	Status   string // "" any waiting item; a waiting status; or "held"
	SourceID int64  // 0 any source
	Matched  bool   // only items with a hash-list match
	Sort     string // one of WaitingSorts; "" is priority
	Reverse  bool   // the sort's other direction
	Page     int    // from 1
	Now      time.Time
}

// Waiting is one row of a queue's waiting table.
type Waiting struct {
	Item        Item // Media holds the first file only
	Matches     int
	Score       float64 // the classifier's highest score; 0 when none
	HeldBy      string  // who holds it now; "" when nobody does
	Escalation  string  // the newest escalation's note; "" when none
	EscalatedBy string
}

// WaitingPage is one page of a waiting table and how many rows match.
type WaitingPage struct {
	Rows  []Waiting
	Total int
}

// Pages is how many pages the matching rows fill.
func (p WaitingPage) Pages() int { return max(1, (p.Total+WaitingPerPage-1)/WaitingPerPage) }

// Validate checks f's sort and status, and clamps its page.
func (f *WaitingFilter) Validate() error {
	var v ValidationError
	if f.Sort == "" {
		f.Sort = "priority"
	}
	if !slices.Contains(WaitingSorts, f.Sort) {
		v.Add("sort", "sort by priority, age, source, matches or score")
	}
	switch ItemStatus(f.Status) {
	case "", "held", StatusQueued, StatusSecondReview, StatusEscalated:
	default:
		v.Add("status", "status is queued, awaiting_second_review, escalated or held")
	}
	f.Page = max(f.Page, 1)
	return v.Err()
}
