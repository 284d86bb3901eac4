package hashlist

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
)

// DryRunReport writes, for a person deciding whether to import a file, the
// summary "N accepted, M rejected" and then "line L: reason" for each
// rejected line, in line order. M counts lines, so a line with two problems
// counts once. Reasons never hold a line break (inputs are quoted), so each
// problem is exactly one line of the report.
func DryRunReport(w io.Writer, rows []Row, errs []RowError) error {
	sorted := slices.Clone(errs)
	slices.SortStableFunc(sorted, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	rejected := 0
	for i, e := range sorted {
		if i == 0 || e.Line != sorted[i-1].Line {
			rejected++
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d accepted, %d rejected\n", len(rows), rejected)
	for _, e := range sorted {
		fmt.Fprintf(bw, "line %d: %s\n", e.Line, e.Reason)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("hashlist: write report: %w", err)
	}
	return nil
}
