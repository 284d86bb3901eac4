package review

import "time"

// Bulk actions a lead takes on selected rows of a queue's waiting table.
const (
	BulkMove     = "move"     // to another queue (items nobody holds)
	BulkPriority = "priority" // set a new priority
	BulkRelease  = "release"  // a held item back to waiting
	MaxBulkItems = 500        // rows one action may change
)

// The audit actions of bulk changes: one entry per item changed.
const (
	ActionItemMoved          = "item.moved"
	ActionItemReprioritised  = "item.reprioritised"
	ActionItemReleasedByLead = "item.released_by_lead"
)

// BulkChange is one bulk action on items of one queue.
type BulkChange struct {
	Action   string
	QueueID  int64 // the queue the items are in; others are left alone
	ItemIDs  []int64
	ToQueue  int64 // BulkMove
	Priority int   // BulkPriority
	Actor    string
	Now      time.Time
}

// Validate checks the action and what it needs.
func (b BulkChange) Validate() error {
	var v ValidationError
	switch {
	case len(b.ItemIDs) == 0:
		v.Add("items", "select at least one item")
	case len(b.ItemIDs) > MaxBulkItems:
		v.Add("items", "select at most 500 items at a time")
	}
	switch b.Action {
	case BulkMove:
		if b.ToQueue == 0 || b.ToQueue == b.QueueID {
			v.Add("to_queue", "choose another queue to move the items to")
		}
	case BulkPriority:
		if b.Priority < 0 || b.Priority > 100 {
			v.Add("priority", "priority is a whole number from 0 to 100")
		}
	case BulkRelease:
	default:
		v.Add("action", "choose move, reprioritise or release")
	}
	return v.Err()
}
