package review

import "time"

// HistoryItems is how many earlier items of an uploader a history lists.
const HistoryItems = 20

// UploaderHistory is what Loupe decided about an uploader's other items on
// the same source: every final verdict counted, and the newest items.
type UploaderHistory struct {
	Counts map[Verdict]int
	Items  []EarlierItem // newest decision first, at most HistoryItems
}

// EarlierItem is another item of the same uploader and its final verdict.
type EarlierItem struct {
	ItemID    int64
	Verdict   Verdict
	DecidedAt time.Time
}

// Escalation returns the newest escalation among an item's decisions,
// and false when nobody escalated it.
func Escalation(ds []Decision) (Decision, bool) {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Verdict == Escalate {
			return ds[i], true
		}
	}
	return Decision{}, false
}
