package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"time"

	"github.com/loupe-review/loupe/review"
)

// formBodyLimit caps the body of every route that takes no file: the
// largest form (a routing rule, the report settings) is a few KiB.
const formBodyLimit = 64 << 10

// transfer is what a route may receive, and whether its transfers may
// outlast the server's read and write timeouts.
type transfer struct {
	maxBody int64
	files   bool // multipart/form-data is accepted
	// long marks uploads and downloads of files: their deadlines move with
	// the bytes, held to Timeouts.MinRate, instead of the short timeouts.
	long bool
	// queues marks the sign-in steps that wait their turn for a password
	// hash or a code check (up to Config.SignInWait): their write deadline
	// is that much longer, so the wait ends in an answer, not a closed
	// connection.
	queues bool
}

// transferKinds is the one table of the routes whose transfers differ from
// a form's (a test checks every pattern here is a registered route).
var transferKinds = map[string]string{
	"POST /api/v1/items":                "ingest",
	"POST /hashlists/search":            "image search",
	"GET /reveal/{token}":               "download",
	"POST /reports/{id}/bundle":         "download",
	"GET /wellbeing/export.csv":         "download",
	"GET /api/v1/hashlists/{id}/export": "download",
	"GET /admin/audit/export.csv":       "download",
	"GET /qa/export.csv":                "download",
	"POST /signin":                      "sign-in",
	"POST /signin/2fa":                  "sign-in",
	"POST /signin/enroll":               "sign-in",
	"POST /password":                    "sign-in",
}

// transferOf says how a route's request and answer may move.
func (s *Server) transferOf(pattern string) transfer {
	switch transferKinds[pattern] {
	case "ingest":
		return transfer{maxBody: s.cfg.MaxRequestBytes, files: true, long: true}
	case "image search":
		return transfer{maxBody: s.cfg.Limits.WithDefaults().MaxFileBytes + formBodyLimit, files: true, long: true}
	case "download":
		return transfer{maxBody: formBodyLimit, long: true}
	case "sign-in":
		return transfer{maxBody: formBodyLimit, queues: true}
	}
	return transfer{maxBody: formBodyLimit}
}

var (
	errNoFiles = fmt.Errorf("this form takes no files; send it as application/x-www-form-urlencoded: %w", review.ErrUnsupportedMedia)
	// errSlowBody means the body did not arrive within the read timeout,
	// or arrived slower than the minimum rate (408).
	errSlowBody = errors.New("the request body arrived too slowly")
)

// limitTransfer runs before anything reads the body: it refuses a body
// whose declared length is over t's cap, and multipart where t takes no
// files, and caps the body for whatever reads it later. For long transfers
// it replaces the server's deadlines by ones that move with the bytes, and
// returns the writer that moves the write deadline.
func (s *Server) limitTransfer(w http.ResponseWriter, r *http.Request, t transfer) (http.ResponseWriter, error) {
	if r.ContentLength > t.maxBody {
		return w, fmt.Errorf("the request body is %d bytes; at most %d are accepted here: %w", r.ContentLength, t.maxBody, review.ErrTooLarge)
	}
	if !t.files && isMultipart(r) {
		return w, errNoFiles
	}
	r.Body = http.MaxBytesReader(w, r.Body, t.maxBody)
	if t.queues {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.SignInWait + s.cfg.Timeouts.Write)) // not supported: a test recorder
	}
	if !t.long {
		return w, nil
	}
	rc, to := http.NewResponseController(w), s.cfg.Timeouts
	r.Body = &pacedBody{ReadCloser: r.Body, rc: rc, pace: pace{rate: to.MinRate, grace: to.Read, start: time.Now()}}
	return &pacedWriter{ResponseWriter: w, rc: rc, pace: pace{rate: to.MinRate, grace: to.Write}}, nil
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// readForm parses a form body already capped by limitTransfer, in memory:
// the cap is the memory allowance, so no file part spills to the temporary
// directory.
func readForm(r *http.Request, t transfer) error {
	var err error
	if t.files && isMultipart(r) {
		err = r.ParseMultipartForm(t.maxBody)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return bodyError(err)
	}
	return nil
}

// bodyError names a failure to read a request body.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("the request body is larger than %d bytes: %w", tooBig.Limit, review.ErrTooLarge)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return errSlowBody
	}
	return review.Invalid("body", "malformed request body")
}

// pace is a deadline that starts grace after start and moves 1/rate
// seconds on for every byte moved: a transfer at rate or faster never
// meets it, and a trickle is cut off soon after grace.
type pace struct {
	rate  int64 // bytes a second
	grace time.Duration
	start time.Time
	n     int64 // bytes moved
}

func (p *pace) deadline() time.Time {
	return p.start.Add(p.grace + time.Duration(float64(p.n)/float64(p.rate)*float64(time.Second)))
}

// pacedBody is a request body whose read deadline follows its pace.
type pacedBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	pace pace
}

func (b *pacedBody) Read(p []byte) (int, error) {
	_ = b.rc.SetReadDeadline(b.pace.deadline()) // not supported: a test recorder
	n, err := b.ReadCloser.Read(p)
	b.pace.n += int64(n)
	return n, err
}

// pacedWriter is a response whose write deadline follows its pace from
// the first byte: a handler may take its time before it writes.
type pacedWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	pace pace
}

func (w *pacedWriter) WriteHeader(code int) {
	w.extend(0)
	w.ResponseWriter.WriteHeader(code)
}

func (w *pacedWriter) Write(p []byte) (int, error) {
	w.extend(len(p))
	return w.ResponseWriter.Write(p)
}

// extend moves the write deadline so that n more bytes may go at the rate.
func (w *pacedWriter) extend(n int) {
	if w.pace.start.IsZero() {
		w.pace.start = time.Now()
	}
	w.pace.n += int64(n)
	_ = w.rc.SetWriteDeadline(w.pace.deadline())
}

func (w *pacedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
