package ncmec

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
	"github.com/loupe-review/loupe/review/egress"
)

// happyPath runs a whole report through c and returns every exchange.
func happyPath(t *testing.T, c *Client) (int64, []Exchange) {
	t.Helper()
	ctx := context.Background()
	var xs []Exchange
	must := func(x Exchange) {
		t.Helper()
		xs = append(xs, x)
		if !x.OK() || x.Status != 200 || x.Code != cybertip.CodeOK || x.Retryable() || x.Terminal() {
			t.Fatalf("%s: %+v", x.Step, x)
		}
	}
	must(c.Status(ctx))
	id, x := c.Submit(ctx, reportXML(t))
	must(x)
	if id == 0 {
		t.Fatal("submit gave no report id")
	}
	files := map[string][]byte{"a.jpg": []byte("first file bytes"), "b.jpg": []byte("second file bytes")}
	for _, name := range []string{"a.jpg", "b.jpg"} {
		fileID, x := c.Upload(ctx, id, name, files[name])
		must(x)
		sum, md := sha256.Sum256(files[name]), md5.Sum(files[name])
		if want := fmt.Sprintf("id %d, file %q, %d bytes, sha256 %x", id, name, len(files[name]), sum); x.Request != want {
			t.Errorf("upload request = %q, want %q", x.Request, want)
		}
		if r, err := cybertip.ParseResponse([]byte(x.Response)); err != nil || r.FileID != fileID || r.Hash != hex.EncodeToString(md[:]) {
			t.Errorf("upload answer %q: %+v, %v", x.Response, r, err)
		}
		must(c.FileInfo(ctx, detailsXML(t, id, fileID, name)))
	}
	x = c.Finish(ctx, id)
	must(x)
	return id, xs
}

func TestHappyPath(t *testing.T) {
	f, c, _ := service(t)
	id, xs := happyPath(t, c)
	steps := []string{}
	for _, x := range xs {
		steps = append(steps, x.Step)
	}
	if want := []string{"status", "submit", "upload", "fileinfo", "upload", "fileinfo", "finish"}; !slices.Equal(steps, want) {
		t.Errorf("steps = %v, want %v", steps, want)
	}
	if xs[1].Request != string(reportXML(t)) || xs[6].Request != fmt.Sprintf("id=%d", id) {
		t.Errorf("requests recorded: submit %q, finish %q", xs[1].Request, xs[6].Request)
	}
	for _, x := range xs {
		if strings.Contains(x.Request, "file bytes") || strings.Contains(x.Request, "secret") {
			t.Errorf("%s request holds file bytes or the password: %q", x.Step, x.Request)
		}
	}
	done, err := cybertip.ParseDoneResponse([]byte(xs[6].Response))
	if err != nil || done.ReportID != id || len(done.FileIDs) != 2 {
		t.Errorf("finish answer %q: %+v, %v", xs[6].Response, done, err)
	}

	reps := f.Reports()
	if len(reps) != 1 {
		t.Fatalf("fake holds %d reports", len(reps))
	}
	r := reps[0]
	if r.ID != id || !r.Finished || r.Retracted || r.XML != string(reportXML(t)) || len(r.Files) != 2 {
		t.Fatalf("fake report = %+v", r)
	}
	sum := sha256.Sum256([]byte("second file bytes"))
	if b := r.Files[1]; b.Name != "b.jpg" || b.Size != len("second file bytes") || b.SHA256 != hex.EncodeToString(sum[:]) || b.Details != string(detailsXML(t, id, b.ID, "b.jpg")) {
		t.Errorf("second file = %+v", b)
	}
	a, b := r.Files[0].ID, r.Files[1].ID
	wantCalls := []string{"submit: 0", `upload ` + a + ` "a.jpg": 0`, "fileinfo " + a + ": 0", `upload ` + b + ` "b.jpg": 0`, "fileinfo " + b + ": 0", "finish: 0"}
	if !slices.Equal(r.Calls, wantCalls) {
		t.Errorf("calls = %q, want %q", r.Calls, wantCalls)
	}
}

// The fake's answers must be what NCMEC's schema says they are.
func TestFakeAnswersMatchSchema(t *testing.T) {
	needXmllint(t)
	_, c, _ := service(t)
	_, xs := happyPath(t, c)
	xs = append(xs, c.Retract(context.Background(), 1), c.Finish(context.Background(), 1))
	bad := New(Config{BaseURL: c.cfg.BaseURL, Username: "isp", Password: "wrong"}, local(10*time.Second))
	xs = append(xs, bad.Status(context.Background()))
	for _, x := range xs {
		if err := cybertip.Validate(context.Background(), []byte(x.Response)); err != nil {
			t.Errorf("%s answer does not validate: %v\n%s", x.Step, err, x.Response)
		}
	}
}

func TestClientFailures(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		step      string
		kind      FailKind
		call      func(*Client, []byte) Exchange
		status    int
		code      cybertip.Code
		retryable bool
		response  string
	}{
		{"5xx on submit", "submit", Fail5xx, func(c *Client, doc []byte) Exchange { _, x := c.Submit(ctx, doc); return x }, 503, -1, true, "Service Unavailable"},
		{"5xx on status", "status", Fail5xx, func(c *Client, _ []byte) Exchange { return c.Status(ctx) }, 503, -1, true, ""},
		{"4100 on submit", "submit", Fail4100, func(c *Client, doc []byte) Exchange { _, x := c.Submit(ctx, doc); return x }, 200, 4100, false, "validation failed"},
		{"4100 on finish", "finish", Fail4100, func(c *Client, _ []byte) Exchange { return c.Finish(ctx, 1001) }, 200, 4100, false, "<responseCode>4100</responseCode>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c, _ := service(t)
			f.Fail(tc.step, tc.kind, 1)
			x := tc.call(c, reportXML(t))
			if x.OK() || x.Status != tc.status || x.Code != tc.code || x.Retryable() != tc.retryable || x.Terminal() == tc.retryable {
				t.Errorf("exchange = %+v (retryable %v)", x, x.Retryable())
			}
			if !strings.Contains(x.Response, tc.response) {
				t.Errorf("response %q does not contain %q", x.Response, tc.response)
			}
			if len(f.Reports()) != 0 {
				t.Errorf("a failed %s left reports: %+v", tc.step, f.Reports())
			}
			// The failure was planned once: the next call goes through.
			if x := tc.call(c, reportXML(t)); x.Code == tc.code && x.Status == tc.status {
				t.Errorf("second call failed the same way: %+v", x)
			}
		})
	}
}

func TestBadCredentials(t *testing.T) {
	f, _, url := service(t)
	c := New(Config{BaseURL: url, Username: "isp", Password: "wrong"}, local(10*time.Second))
	for _, x := range []Exchange{c.Status(context.Background()), second(c.Submit(context.Background(), reportXML(t)))} {
		var re *cybertip.ResponseError
		if x.Status != 401 || x.Code != cybertip.CodeAuthRequired || !x.Terminal() || !errors.As(x.Err, &re) {
			t.Errorf("%s with a wrong password: %+v", x.Step, x)
		}
	}
	if len(f.Reports()) != 0 {
		t.Error("an unauthenticated submit created a report")
	}
}

// By default the client refuses internal addresses, when connecting, and
// says only that: no address or port reaches the case page.
func TestDefaultClientRefusesInternalAddresses(t *testing.T) {
	f := NewFake("isp", "secret")
	srv := httptest.NewServer(f)
	defer srv.Close()
	for _, base := range []string{srv.URL, "https" + strings.TrimPrefix(srv.URL, "http")} {
		c := New(Config{BaseURL: base, Username: "isp", Password: "secret", Timeout: 5 * time.Second}, nil)
		x := c.Status(context.Background())
		if x.OK() || !errors.Is(x.Err, ErrNoAnswer) || strings.Contains(x.Err.Error(), "127.0.0.1") || strings.Contains(x.Err.Error(), srv.URL[len("http://127.0.0.1:"):]) {
			t.Errorf("%s: %v", base, x.Err)
		}
	}
	if x := New(Config{BaseURL: "https" + strings.TrimPrefix(srv.URL, "http")}, nil).Status(context.Background()); x.Err.Error() != "ncmec: no answer: status: internal address refused" {
		t.Errorf("shown as %q", x.Err)
	}
	if x := New(Config{BaseURL: srv.URL}, nil).Status(context.Background()); x.Err.Error() != "ncmec: no answer: status: https required" {
		t.Errorf("plain http shown as %q", x.Err)
	}
	if n := len(f.Reports()); n != 0 {
		t.Errorf("the fake got %d reports", n)
	}
}

func second[T any](_ T, x Exchange) Exchange { return x }

// A timeout is retryable, and the fake stops hanging when the client gives
// up, so neither the test nor the server's shutdown waits for Fake.Hang.
func TestTimeout(t *testing.T) {
	f := NewFake("isp", "secret")
	f.Hang = time.Minute
	srv := httptest.NewServer(f)
	c := New(Config{BaseURL: srv.URL, Username: "isp", Password: "secret"}, local(50*time.Millisecond))
	f.Fail("submit", FailTimeout, 1)
	start := time.Now()
	id, x := c.Submit(context.Background(), reportXML(t))
	if id != 0 || x.Status != 0 || !errors.Is(x.Err, ErrNoAnswer) || !errors.Is(x.Err, egress.ErrTimeout) || !x.Retryable() || x.Terminal() {
		t.Errorf("timed out submit: id %d, %+v", id, x)
	}
	srv.Close() // waits for the hanging handler
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("timeout took %v: the fake ignored the client going away", d)
	}
	if len(f.Reports()) != 0 {
		t.Error("a timed out submit created a report")
	}
}

// A submit whose answer is lost leaves a report at NCMEC that the client
// has no id for; retrying makes a second one.
func TestLostSubmitAnswer(t *testing.T) {
	f, c, _ := service(t)
	f.Fail("submit", FailLoseResponse, 1)
	// A rejected document does not use the failure up.
	if _, x := c.Submit(context.Background(), []byte("<report>")); x.Code != cybertip.CodeMalformedXML {
		t.Fatalf("malformed submit: %+v", x)
	}
	id, x := c.Submit(context.Background(), reportXML(t))
	if id != 0 || x.Status != 0 || x.Code != -1 || !errors.Is(x.Err, ErrNoAnswer) || !x.Retryable() {
		t.Fatalf("lost submit: id %d, %+v", id, x)
	}
	reps := f.Reports()
	if len(reps) != 1 || reps[0].XML != string(reportXML(t)) || reps[0].Finished || reps[0].Retracted {
		t.Fatalf("fake reports after a lost submit: %+v", reps)
	}
	id, x = c.Submit(context.Background(), reportXML(t))
	if !x.OK() || id == reps[0].ID || len(f.Reports()) != 2 {
		t.Errorf("retried submit: id %d (lost one %d), %+v", id, reps[0].ID, x)
	}
}

// A finish whose answer is lost went through: retrying it answers 5102.
func TestLostFinishAnswer(t *testing.T) {
	f, c, _ := service(t)
	ctx := context.Background()
	id, x := c.Submit(ctx, reportXML(t))
	if !x.OK() {
		t.Fatal(x.Err)
	}
	f.Fail("finish", FailLoseResponse, 1)
	if x := c.Finish(ctx, id); !x.Retryable() || !errors.Is(x.Err, ErrNoAnswer) {
		t.Fatalf("lost finish: %+v", x)
	}
	if x := c.Finish(ctx, id); x.Code != cybertip.CodeAlreadyFinished || !x.Terminal() {
		t.Errorf("retried finish: %+v", x)
	}
	if r := f.Reports()[0]; !r.Finished || !slices.Equal(r.Calls, []string{"submit: 0", "finish: 0", "finish: 5102"}) {
		t.Errorf("fake report: %+v", r)
	}
}
