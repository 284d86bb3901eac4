package hashlist

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Row is an accepted line of an import file. Its Entry validates, has Source
// SourceImport, and leaves AddedBy, AddedAt and Version for the caller.
type Row struct {
	Line  int
	Entry Entry
}

// RowError says why a line of an import file was rejected.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Hard limits on an import file, so that no file can exhaust memory.
const (
	// MaxLineBytes bounds a line, not counting its "\n" or "\r\n".
	MaxLineBytes = 64 << 10
	MaxRows      = 5_000_000
	// MaxRowErrors stops reading a file that is mostly wrong: the import is
	// refused anyway, nobody reads the ten-thousand-and-first problem, and
	// a report of millions of them would cost more than the file itself.
	MaxRowErrors = 10_000
)

type limits struct {
	lineBytes, rows, rowErrors int
}

var defaultLimits = limits{lineBytes: MaxLineBytes, rows: MaxRows, rowErrors: MaxRowErrors}

// rawRow holds one row's fields as written, before normalisation.
type rawRow struct {
	hashType, hashValue, category, status, reason string
}

// set stores a field by column name. Bookkeeping columns are dropped: see
// columns.
func (r *rawRow) set(col, v string) {
	switch col {
	case colHashType:
		r.hashType = v
	case colHashValue:
		r.hashValue = v
	case colCategory:
		r.category = v
	case colStatus:
		r.status = v
	case colReason:
		r.reason = v
	}
}

// entry normalises the row into an Entry, or says everything wrong with it.
func (r rawRow) entry() (Entry, problems) {
	var p problems
	e := Entry{
		Category: strings.TrimSpace(r.category),
		Reason:   strings.TrimSpace(r.reason),
		Source:   SourceImport,
	}
	if t, err := ParseHashType(r.hashType); err != nil {
		p.addErr(err)
	} else {
		e.Type = t
		if e.Value, err = NormalizeValue(t, r.hashValue); err != nil {
			p.addErr(err)
		}
	}
	switch s := Status(strings.ToLower(strings.TrimSpace(r.status))); s {
	case "", Active:
		e.Status = Active
	case Retracted:
		e.Status = Retracted
	default:
		p.add(colStatus, fmt.Sprintf("unknown status %s (want active or retracted)", quote(r.status)))
	}
	// Fields that failed above keep their specific problem; problems adds
	// only those about the fields still unchecked.
	for _, q := range e.problems() {
		p.add(q.Field, q.Problem)
	}
	if len(p) > 0 {
		return Entry{}, p
	}
	return e, nil
}

// collector gathers the rows and errors of one file, enforcing the limits
// and refusing a hash seen earlier in the same file.
type collector struct {
	lim   limits
	rows  []Row
	errs  []RowError
	seen  map[seenKey]int // line first accepted
	count int
	done  bool // stop reading
}

func newCollector(lim limits) *collector {
	return &collector{lim: lim, seen: map[seenKey]int{}}
}

type seenKey struct {
	t HashType
	v string
}

func (c *collector) fail(line int, reason string) {
	c.errs = append(c.errs, RowError{Line: line, Reason: reason})
	if len(c.errs) >= c.lim.rowErrors && !c.done {
		c.errs = append(c.errs, RowError{Line: line, Reason: fmt.Sprintf("stopped reading after %d rejected rows", len(c.errs))})
		c.done = true
	}
}

// stop records a problem that ends the file.
func (c *collector) stop(line int, reason string) {
	c.errs = append(c.errs, RowError{Line: line, Reason: reason})
	c.done = true
}

// readError records an error from lineReader.next other than io.EOF. A line
// too long is one bad row; any other error ends the file.
func (c *collector) readError(line int, err error) {
	if errors.Is(err, errLineTooLong) {
		c.fail(line, fmt.Sprintf("line longer than %d bytes", c.lim.lineBytes))
		return
	}
	c.stop(line, "read error: "+err.Error())
}

// startRow counts a data row, and ends the file once there are too many.
func (c *collector) startRow(line int) bool {
	c.count++
	if c.count > c.lim.rows {
		c.stop(line, fmt.Sprintf("more than %d rows; split the file", c.lim.rows))
		return false
	}
	return true
}

func (c *collector) add(line int, r rawRow) {
	e, p := r.entry()
	if len(p) > 0 {
		c.fail(line, p.Error())
		return
	}
	key := seenKey{e.Type, e.Value}
	if first, ok := c.seen[key]; ok {
		c.fail(line, fmt.Sprintf("duplicate of line %d (same hash_type and hash_value)", first))
		return
	}
	c.seen[key] = line
	if len(c.rows) == cap(c.rows) {
		// append grows a slice of large elements by a quarter at a time,
		// which for millions of rows copies them about five times over.
		c.rows = slices.Grow(c.rows, max(len(c.rows), 1024))
	}
	c.rows = append(c.rows, Row{Line: line, Entry: e})
}
