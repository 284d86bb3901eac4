package review

import (
	"context"
	"fmt"
	"strings"
)

// A queue may require that a person viewed every file before a report
// about it is made (Queue.RequireViewForReport): a report then never says
// a file was not viewed. Reviewers meet the rule when they decide (a
// violating verdict waits until each file was revealed, or its copy taken
// out of the cluster); leads meet it when they approve, for decisions
// made otherwise (by automation, or before the setting was turned on).

// needsViews reports whether a decision in q must rest on a view of
// every file.
func needsViews(q Queue, d Decision) bool {
	return q.RequireViewForReport && q.Reportable && d.Verdict == Violating && d.Kind != KindOverride
}

// unviewed lists the files of items nobody has viewed, by the ledger, as
// "item #N (file name)".
func (r *Reviewing) unviewed(ctx context.Context, items []Item) ([]string, error) {
	var out []string
	for _, it := range items {
		exposures, err := r.Exposure.FindExposures(ctx, it.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range it.Media {
			if !ViewsOf(exposures, it.ID, m).Viewed {
				out = append(out, fileName(it.ID, m))
			}
		}
	}
	return out, nil
}

func fileName(itemID int64, m Media) string {
	if m.FileName == "" {
		return fmt.Sprintf("item #%d", itemID)
	}
	return fmt.Sprintf("item #%d (%s)", itemID, m.FileName)
}

// checkViews refuses a violating decision in a queue that requires a view
// of every file while some file of items has none.
func (r *Reviewing) checkViews(ctx context.Context, q Queue, d Decision, items []Item) error {
	if !needsViews(q, d) {
		return nil
	}
	missing, err := r.unviewed(ctx, items)
	if err != nil || len(missing) == 0 {
		return err
	}
	return Invalid("verdict", fmt.Sprintf("Queue %s reports only files a person viewed: reveal %s (or take it out of the cluster) before deciding violating.",
		q.Name, strings.Join(missing, ", ")))
}

// errUnviewed refuses to approve a report with files nobody viewed in a
// queue that requires a view of each.
func errUnviewed(queue string, files []string) error {
	return fmt.Errorf("queue %s requires a view of every file before a report, and nobody viewed %s; a decided item cannot be revealed, so turn the queue's setting off to send the report as it stands (it says those files were not viewed): %w",
		queue, strings.Join(files, ", "), ErrConflict)
}
