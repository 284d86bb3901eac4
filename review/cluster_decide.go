package review

import (
	"context"
	"slices"
	"time"
)

// decideCluster records d for every member of it's cluster that u holds,
// made through it (the representative). Each member gets a record of its
// own, as if decided alone: its own outcome (so a queue that needs two
// reviews sends the whole cluster to a second review, and the second
// reviewer gets it whole), its own reveals from the ledger, callback,
// report case and proposals. All commit in one transaction. The
// reviewer's time is counted once, on the representative's decision.
func (r *Reviewing) decideCluster(ctx context.Context, u User, it Item, q Queue, d Decision, now time.Time) (Decision, Outcome, error) {
	members, err := r.Clusters.FindClusterMembers(ctx, it.ID, u.ID, now)
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	if !slices.ContainsFunc(members, func(m Item) bool { return m.ID == it.ID }) {
		return Decision{}, Outcome{}, ErrLeaseLost
	}
	if err := r.checkViews(ctx, q, d, members); err != nil {
		return Decision{}, Outcome{}, err
	}
	if len(members) < 2 { // the others were taken out or decided: alone
		rec, out, err := r.record(ctx, u, it, q, d, now)
		if err != nil {
			return Decision{}, Outcome{}, err
		}
		saved, err := r.Store.RecordDecision(ctx, rec)
		return saved, out, err
	}
	d.ClusterItemID = it.ID
	var recs []DecisionRecord
	for _, m := range members {
		if m.ID == it.ID || m.Status != it.Status {
			continue
		}
		rec, _, err := r.record(ctx, u, m, q, d, now)
		if err != nil {
			return Decision{}, Outcome{}, err
		}
		rec.Decision.Seconds = 0
		recs = append(recs, rec)
	}
	// The representative's decision last: it is the reviewer's newest, the
	// one the undo bar offers, and an undo takes back the cluster's.
	rec, out, err := r.record(ctx, u, it, q, d, now)
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	saved, err := r.Clusters.RecordDecisions(ctx, append(recs, rec))
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	return saved[len(saved)-1], out, nil
}
