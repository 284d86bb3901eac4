package ncmec

import (
	"cmp"
	"crypto/subtle"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
)

// Fake is an in-memory CyberTipline for tests and local trials. Like NCMEC
// it checks Basic auth, validates every report and fileDetails document
// against the schema (with xmllint, see cybertip.Validate) and enforces the
// order of calls: upload, fileinfo and finish only on a submitted report
// that is neither finished nor retracted, fileinfo only for that report's
// files, finish only once every file has its fileinfo. Fail makes it
// misbehave. Set Hang and Log before it serves.
type Fake struct {
	// Hang is how long a FailTimeout request is held; it ends sooner when
	// the client gives up. 0 means a minute.
	Hang time.Duration
	// Log, when set, gets a line per request and a warning when xmllint is
	// missing.
	Log *slog.Logger

	username, password string
	mux                *http.ServeMux
	warnOnce           sync.Once

	mu       sync.Mutex
	lastID   int64
	reports  map[int64]*FakeReport
	failures map[string]failure
}

// FakeReport is a report as the fake holds it.
type FakeReport struct {
	ID        int64
	XML       string // the document posted to /submit
	Files     []FakeFile
	Finished  bool
	Retracted bool
	// Calls lists the requests about the report with their response code,
	// for example "upload f1001-1 \"a.jpg\": 0" or "finish: 5102".
	Calls []string
}

// FakeFile is an uploaded file; the fake keeps its hash, not its bytes.
type FakeFile struct {
	ID      string
	Name    string
	Size    int
	SHA256  string // hex
	Details string // the fileDetails document; empty until /fileinfo
}

// NewFake returns a fake that accepts username and password.
func NewFake(username, password string) *Fake {
	f := &Fake{
		username: username,
		password: password,
		lastID:   1000,
		reports:  map[int64]*FakeReport{},
		failures: map[string]failure{},
	}
	f.mux = http.NewServeMux()
	f.mux.HandleFunc("GET /status", f.serve("status", f.status))
	f.mux.HandleFunc("POST /submit", f.serve("submit", f.submit))
	f.mux.HandleFunc("POST /upload", f.serve("upload", f.upload))
	f.mux.HandleFunc("POST /fileinfo", f.serve("fileinfo", f.fileinfo))
	f.mux.HandleFunc("POST /finish", f.serve("finish", f.finish))
	f.mux.HandleFunc("POST /retract", f.serve("retract", f.retract))
	return f
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

// Reports returns a copy of every report the fake holds, oldest first.
func (f *Fake) Reports() []FakeReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeReport, 0, len(f.reports))
	for _, r := range f.reports {
		c := *r
		c.Files, c.Calls = slices.Clone(r.Files), slices.Clone(r.Calls)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b FakeReport) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// answer is the fake's reply to one step: a <reportResponse>, or for
// finish a <reportDoneResponse>.
type answer struct {
	Code        cybertip.Code
	Description string
	ReportID    int64
	FileID      string
	Hash        string
	FileIDs     []string // finish only
	call        string   // the request as the report's call log shows it
}

// maxBody bounds a request: NCMEC's documents are small, files are not.
const maxBody = 64 << 20

// serve wraps a step's handler with what every endpoint does: planned
// failures, Basic auth, the report's call log and writing the answer.
func (f *Fake) serve(step string, handle func(*http.Request) answer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		kind, failing := f.planned(step)
		switch {
		case failing && kind == Fail5xx:
			f.log(step, "injected", "HTTP 503")
			http.Error(w, "503 Service Unavailable", http.StatusServiceUnavailable)
			return
		case failing && kind == FailTimeout:
			f.log(step, "injected", "timeout")
			f.hang(r)
			http.Error(w, "504 Gateway Timeout", http.StatusGatewayTimeout)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		status, a := http.StatusOK, answer{}
		switch {
		case !f.authorized(r):
			status, a = http.StatusUnauthorized, answer{Code: cybertip.CodeAuthRequired}
			w.Header().Set("WWW-Authenticate", `Basic realm="CyberTipline"`)
		case failing && kind == Fail4100:
			f.log(step, "injected", "4100")
			a = answer{Code: cybertip.CodeValidationFailed, Description: "injected failure: validation failed"}
		default:
			a = handle(r)
			f.note(step, a)
		}
		f.log(step, "code", a.Code.String(), "report", a.ReportID)
		if failing && kind == FailLoseResponse && a.Code == cybertip.CodeOK {
			f.use(step)
			f.log(step, "injected", "lost answer")
			panic(http.ErrAbortHandler) // the server cuts the connection without answering
		}
		f.write(w, step, status, a)
	}
}

// hang waits for Hang or until the client gives up. It reads the body
// first: only then does the server watch the connection and cancel the
// request's context when the client closes it.
func (f *Fake) hang(r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
	ctx := r.Context()
	d := f.Hang
	if d <= 0 {
		d = time.Minute
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (f *Fake) authorized(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(u), []byte(f.username)) == 1 &&
		subtle.ConstantTimeCompare([]byte(p), []byte(f.password)) == 1
}

// note adds the call to its report's log.
func (f *Fake) note(step string, a answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if rep, ok := f.reports[a.ReportID]; ok {
		call := a.call
		if call == "" {
			call = step
		}
		rep.Calls = append(rep.Calls, fmt.Sprintf("%s: %d", call, a.Code))
	}
}

func (f *Fake) log(step string, args ...any) {
	if f.Log != nil {
		f.Log.Info("fake cybertipline", append([]any{"step", step}, args...)...)
	}
}

// write sends a as NCMEC would: XML, with the meaning of the code as the
// description when the handler gave none.
func (f *Fake) write(w http.ResponseWriter, step string, status int, a answer) {
	if a.Description == "" && a.Code == cybertip.CodeOK {
		a.Description = "Success"
	} else if a.Description == "" {
		a.Description = a.Code.String()
	}
	var v any = reportResponse{Code: a.Code, Description: a.Description, ReportID: a.ReportID, FileID: a.FileID, Hash: a.Hash}
	if step == "finish" {
		d := reportDoneResponse{Code: a.Code, ReportID: a.ReportID}
		d.Files.IDs = a.FileIDs
		v = d
	}
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(body)
}

// reportResponse and reportDoneResponse are the schema's answers, with the
// optional elements left out when empty.
type reportResponse struct {
	XMLName     xml.Name      `xml:"reportResponse"`
	Code        cybertip.Code `xml:"responseCode"`
	Description string        `xml:"responseDescription"`
	ReportID    int64         `xml:"reportId,omitempty"`
	FileID      string        `xml:"fileId,omitempty"`
	Hash        string        `xml:"hash,omitempty"`
}

type reportDoneResponse struct {
	XMLName  xml.Name      `xml:"reportDoneResponse"`
	Code     cybertip.Code `xml:"responseCode"`
	ReportID int64         `xml:"reportId"`
	Files    struct {
		IDs []string `xml:"fileId"`
	} `xml:"files"`
}
