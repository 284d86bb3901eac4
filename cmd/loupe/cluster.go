package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/loupe-review/loupe/review"
)

// cmdClusterStats prints a queue's clusters of two or more waiting items,
// their sizes and a histogram of sizes.
func cmdClusterStats(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "cluster stats", "cluster stats --queue NAME")
	c.registerData(fs, e)
	name := fs.String("queue", "", "the queue")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *name == "" {
		return fmt.Errorf("%w: give --queue NAME", errUsage)
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	q, err := a.db.FindQueueByName(ctx, *name)
	if errors.Is(err, review.ErrNotFound) {
		return fmt.Errorf("%w: no queue is named %q (loupe queue list shows them)", errUsage, *name)
	}
	if err != nil {
		return err
	}
	st, err := a.db.FindClusterStats(ctx, q)
	if err != nil {
		return err
	}
	if q.ClusterThreshold == 0 {
		fmt.Fprintf(e.stdout, "Clusters are off in queue %s (threshold 0).\n", printable(q.Name))
	} else {
		fmt.Fprintf(e.stdout, "Queue %s: copies within PDQ distance %d are clustered.\n", printable(q.Name), q.ClusterThreshold)
	}
	fmt.Fprintf(e.stdout, "%d clusters of 2 or more hold %d waiting items.\n", len(st.Clusters), st.Items())
	if len(st.Clusters) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nCLUSTER\tMEMBERS")
	for _, cl := range st.Clusters {
		fmt.Fprintf(tw, "%d\t%d\n", cl.ID, cl.Members)
	}
	fmt.Fprintln(tw, "\nSIZE\tCLUSTERS")
	for _, h := range st.Histogram() {
		fmt.Fprintf(tw, "%d\t%d\n", h.Size, h.Clusters)
	}
	return tw.Flush()
}
