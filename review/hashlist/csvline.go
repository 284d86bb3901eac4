package hashlist

import (
	"errors"
	"strings"
)

// splitCSVLine splits one line into fields as encoding/csv does (RFC 4180:
// commas, fields in double quotes with "" for a quote), except that a quoted
// field must close on the line it opens. No valid field holds a line break,
// and a field allowed to run on would let one missing quote swallow the rest
// of the file into a single row of unbounded size.
// want is the expected number of fields, to size the result.
func splitCSVLine(line string, want int) ([]string, error) {
	fields := make([]string, 0, want)
	for {
		if !strings.HasPrefix(line, `"`) {
			f, rest, more := strings.Cut(line, ",")
			if strings.Contains(f, `"`) {
				return nil, errors.New(`bare " in an unquoted field (quote the field and double the ")`)
			}
			fields = append(fields, f)
			if !more {
				return fields, nil
			}
			line = rest
			continue
		}
		var b strings.Builder
		line = line[1:]
		for {
			i := strings.IndexByte(line, '"')
			if i < 0 {
				return nil, errors.New(`quoted field not closed on its line`)
			}
			b.WriteString(line[:i])
			line = line[i+1:]
			if !strings.HasPrefix(line, `"`) {
				break
			}
			b.WriteByte('"')
			line = line[1:]
		}
		fields = append(fields, b.String())
		if line == "" {
			return fields, nil
		}
		if line[0] != ',' {
			return nil, errors.New(`unexpected text after a closing " (double a " inside a quoted field)`)
		}
		line = line[1:]
	}
}
