package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// importLine is one JSON Lines record: item metadata plus media file paths
// (relative paths are taken from the file's directory).
type importLine struct {
	Media []string `json:"media"`
}

type importStats struct {
	accepted, present int
	rejected          []string // "line N: reason"
}

func cmdImport(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "import", "import --source S FILE.jsonl")
	c.registerData(fs, e)
	source := fs.String("source", "", "the source the items come from (required; created if new)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if *source == "" || len(args) != 1 {
		return fmt.Errorf("%w: give --source and exactly one FILE.jsonl", errUsage)
	}
	if err := review.ValidateName("source", *source); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	info, _ := f.Stat()
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	src, err := a.db.EnsureSource(ctx, *source)
	if err != nil {
		return err
	}
	caller := review.APIToken{Name: "import", SourceID: src.ID, Source: src.Name}
	progress := newProgress(e.stderr, info.Size(), *quiet)
	stats, err := importLines(ctx, a.ingester, caller, f, filepath.Dir(args[0]), progress)
	progress.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "accepted %d, already present %d, rejected %d\n", stats.accepted, stats.present, len(stats.rejected))
	for _, r := range stats.rejected {
		fmt.Fprintln(e.stdout, "  "+printable(r))
	}
	if len(stats.rejected) > 0 {
		return fmt.Errorf("%d lines rejected; fix them and run the same command again (accepted lines are skipped)", len(stats.rejected))
	}
	return nil
}

// importLines ingests each line through the same path as the API. Lines
// already imported are found by external id and skipped, so an interrupted
// import is resumed by running it again.
func importLines(ctx context.Context, in *review.Ingester, caller review.APIToken, r io.Reader, dir string, p *progress) (importStats, error) {
	var st importStats
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), review.MaxMetadataBytes+64<<10)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		p.advance(int64(len(line)) + 1)
		if strings.TrimSpace(string(line)) == "" {
			continue
		}
		meta, uploads, err := readImportLine(line, dir, in.Limits.MaxFileBytes)
		if err == nil {
			var created bool
			_, created, err = in.Ingest(ctx, caller, meta, uploads)
			if err == nil && created {
				st.accepted++
			} else if err == nil {
				st.present++
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			st.rejected = append(st.rejected, fmt.Sprintf("line %d: %s", n, reason(err)))
		}
		p.show(st)
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("read: %w", err)
	}
	return st, nil
}

// readImportLine splits a line into metadata JSON and the media it names.
func readImportLine(line []byte, dir string, maxBytes int64) ([]byte, []review.Upload, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		return nil, nil, review.Invalid("line", "not a JSON object")
	}
	var il importLine
	if raw, ok := fields["media"]; ok {
		if err := json.Unmarshal(raw, &il.Media); err != nil {
			return nil, nil, review.Invalid("media", "must be an array of file paths")
		}
		delete(fields, "media")
	}
	meta, _ := json.Marshal(fields)
	var uploads []review.Upload
	for _, p := range il.Media {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, review.Invalid("media", fmt.Sprintf("cannot read %s", p))
		}
		if st.Size() > maxBytes {
			return nil, nil, fmt.Errorf("%s is larger than %d bytes: %w", p, maxBytes, review.ErrTooLarge)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, review.Invalid("media", fmt.Sprintf("cannot read %s", p))
		}
		uploads = append(uploads, review.Upload{Name: filepath.Base(p), Bytes: b})
	}
	return meta, uploads, nil
}

// reason is an error as one line of the import summary.
func reason(err error) string {
	var v *review.ValidationError
	if errors.As(err, &v) {
		return v.Field() + ": " + v.Message()
	}
	return err.Error()
}
