package review

// The life of an item:
//
//	queued ──claim──▶ (leased) ──decide──▶ decided
//	  ▲                  │ skip, step away, lease expiry: back to queued
//	  │                  ├─ violating in a two-review queue ─▶ awaiting_second_review
//	  │                  └─ escalate ─▶ escalated (moved to the escalations queue)
//	awaiting_second_review ──claim by another reviewer──▶ (leased)
//	                         ├─ agrees (same verdict and category) ─▶ decided
//	                         └─ disagrees ─▶ escalated
//	escalated ──a lead decides──▶ decided
//	decided ──a lead overrides, with a reason──▶ decided (callback again)
//	decided ──reported──▶ reported; retention ──▶ purged (the reports issue)
//
// "Leased" is not a stored status: a lease is a reviewer and an expiry on a
// queued or awaiting-second-review item, so an abandoned item returns to its
// queue the moment its lease ends, without a sweeper.

// Outcome is what a decision does to its item.
type Outcome struct {
	Kind     DecisionKind
	Status   ItemStatus
	Final    bool // the decision the platform is told about
	Escalate bool // the item moves to the escalations queue
	Release  bool // the item returns to its queue unchanged (skip)
}

// Decide applies the state machine: the item's status, the queue's rule,
// the verdict, and (for a second review) the first decision.
func Decide(status ItemStatus, q Queue, d Decision, first *Decision) Outcome {
	switch {
	case d.Verdict == Skip:
		return Outcome{Kind: kindFor(status), Status: status, Release: true}
	case status == StatusEscalated || q.Name == EscalationQueue:
		return Outcome{Kind: KindEscalation, Status: StatusDecided, Final: true}
	case d.Verdict == Escalate:
		return Outcome{Kind: kindFor(status), Status: StatusEscalated, Escalate: true}
	case status == StatusSecondReview:
		if first != nil && first.Verdict == d.Verdict && first.Category == d.Category {
			return Outcome{Kind: KindSecond, Status: StatusDecided, Final: true}
		}
		return Outcome{Kind: KindSecond, Status: StatusEscalated, Escalate: true}
	case d.Verdict == Violating && q.RequiredReviews == 2:
		return Outcome{Kind: KindFirst, Status: StatusSecondReview}
	default:
		return Outcome{Kind: KindFirst, Status: StatusDecided, Final: true}
	}
}

func kindFor(status ItemStatus) DecisionKind {
	if status == StatusSecondReview {
		return KindSecond
	}
	return KindFirst
}
