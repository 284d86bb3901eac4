package main

import (
	"fmt"
	"io"
	"strings"
)

// progress draws a one-line progress bar on a terminal stream.
type progress struct {
	w          io.Writer
	total, pos int64
	quiet      bool
}

func newProgress(w io.Writer, total int64, quiet bool) *progress {
	return &progress{w: w, total: max(total, 1), quiet: quiet}
}

func (p *progress) advance(n int64) { p.pos += n }

func (p *progress) show(st importStats) {
	if p.quiet {
		return
	}
	const width = 30
	filled := int(min(p.pos, p.total) * width / p.total)
	fmt.Fprintf(p.w, "\r[%s%s] %3d%%  accepted %d  present %d  rejected %d",
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), min(p.pos, p.total)*100/p.total, st.accepted, st.present, len(st.rejected))
}

func (p *progress) done() {
	if !p.quiet {
		fmt.Fprintln(p.w)
	}
}
