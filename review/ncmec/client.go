package ncmec

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
	"github.com/loupe-review/loupe/review/egress"
)

// Config says where the reporting service is and how to sign in. NCMEC's
// test service (https://exttest.cybertip.org/ispws) and production
// (https://report.cybertip.org/ispws) take separate credentials.
type Config struct {
	BaseURL  string
	Username string
	Password string
	// Timeout bounds each request when New makes the HTTP client; 0 means
	// 30 seconds.
	Timeout time.Duration
}

// Client calls the reporting service. It is safe for concurrent use.
type Client struct {
	cfg Config
	hc  *http.Client
}

// maxAnswer bounds how much of an answer is read; NCMEC's are a few
// hundred bytes.
const maxAnswer = 1 << 20

// New returns a client for cfg. hc should come from egress.Policy.Client,
// with its timeout set there; nil means the strict policy's client with
// cfg.Timeout (https only, no internal addresses).
func New(cfg Config, hc *http.Client) *Client {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if hc == nil {
		hc = egress.Policy{}.Client(cfg.Timeout)
	}
	return &Client{cfg: cfg, hc: hc}
}

// Status checks connectivity and credentials.
func (c *Client) Status(ctx context.Context) Exchange {
	return c.do(ctx, "status", http.MethodGet, "", nil, "GET /status")
}

// Submit posts a <report> document and returns the id NCMEC gave it, 0
// when the exchange failed.
func (c *Client) Submit(ctx context.Context, reportXML []byte) (int64, Exchange) {
	x := c.do(ctx, "submit", http.MethodPost, "text/xml; charset=utf-8", reportXML, string(reportXML))
	if !x.OK() {
		return 0, x
	}
	r, err := cybertip.ParseResponse([]byte(x.Response))
	if err == nil && r.ReportID == 0 {
		err = fmt.Errorf("ncmec: submit: answer has no reportId")
	}
	if err != nil {
		x.Err = err
		return 0, x
	}
	return r.ReportID, x
}

// Upload posts one file of the report and returns the id NCMEC gave it.
// The exchange records the file's name, size and SHA-256, never its bytes.
func (c *Client) Upload(ctx context.Context, reportID int64, fileName string, data []byte) (string, Exchange) {
	summary := fmt.Sprintf("id %d, file %q, %d bytes, sha256 %x", reportID, fileName, len(data), sha256.Sum256(data))
	body, contentType, err := uploadForm(reportID, fileName, data)
	if err != nil {
		return "", Exchange{Step: "upload", Request: summary, Code: -1, Err: fmt.Errorf("ncmec: upload: %w", err)}
	}
	x := c.do(ctx, "upload", http.MethodPost, contentType, body, summary)
	if !x.OK() {
		return "", x
	}
	r, err := cybertip.ParseResponse([]byte(x.Response))
	if err == nil && r.FileID == "" {
		err = fmt.Errorf("ncmec: upload: answer has no fileId")
	}
	if err != nil {
		x.Err = err
		return "", x
	}
	return r.FileID, x
}

// uploadForm is the multipart body /upload takes: the report id and the
// file.
func uploadForm(reportID int64, fileName string, data []byte) (body []byte, contentType string, err error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.WriteField("id", strconv.FormatInt(reportID, 10)); err != nil {
		return nil, "", err
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		return nil, "", err
	}
	if _, err := fw.Write(data); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}

// FileInfo posts the <fileDetails> document of an uploaded file.
func (c *Client) FileInfo(ctx context.Context, fileDetailsXML []byte) Exchange {
	return c.do(ctx, "fileinfo", http.MethodPost, "text/xml; charset=utf-8", fileDetailsXML, string(fileDetailsXML))
}

// Finish closes the report: NCMEC then processes it and it can no longer
// change. A retried finish answering 5102 (already finished) means an
// earlier finish whose answer was lost went through.
func (c *Client) Finish(ctx context.Context, reportID int64) Exchange {
	return c.postID(ctx, "finish", reportID)
}

// Retract cancels a report that was not finished.
func (c *Client) Retract(ctx context.Context, reportID int64) Exchange {
	return c.postID(ctx, "retract", reportID)
}

// postID posts the form id=reportID, as /finish and /retract take it.
func (c *Client) postID(ctx context.Context, step string, reportID int64) Exchange {
	form := url.Values{"id": {strconv.FormatInt(reportID, 10)}}.Encode()
	return c.do(ctx, step, http.MethodPost, "application/x-www-form-urlencoded", []byte(form), form)
}

// do sends one request to /step and reads the answer into an Exchange.
func (c *Client) do(ctx context.Context, step, method, contentType string, body []byte, sent string) Exchange {
	x := Exchange{Step: step, Request: sent, Code: -1}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+"/"+step, bytes.NewReader(body))
	if err == nil && req.URL.Scheme != "https" && req.URL.Scheme != "http" {
		err = fmt.Errorf("base URL %q: want https://HOST/PATH", c.cfg.BaseURL)
	}
	if err != nil { // a configuration error: nothing was sent
		x.Err = fmt.Errorf("ncmec: %s: %w", step, err)
		return x
	}
	req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	if err != nil { // only the class: the case page shows it
		x.Err = fmt.Errorf("%w: %s: %w", ErrNoAnswer, step, egress.Classify(err))
		return x
	}
	defer resp.Body.Close()
	x.Status = resp.StatusCode
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	x.Response = string(answer)
	if err != nil {
		x.Err = fmt.Errorf("%w: %s: read answer: %w", ErrNoAnswer, step, egress.Classify(err))
		return x
	}
	code, desc, perr := cybertip.ParseCode(answer)
	if perr == nil {
		x.Code = code
	}
	switch {
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		x.Err = fmt.Errorf("ncmec: %s: HTTP %s", step, resp.Status)
		if perr == nil && code != cybertip.CodeOK {
			x.Err = fmt.Errorf("ncmec: %s: HTTP %s: %w", step, resp.Status, &cybertip.ResponseError{Code: code, Description: desc})
		}
	case perr != nil:
		x.Err = fmt.Errorf("ncmec: %s: %w", step, perr)
	case code != cybertip.CodeOK:
		x.Err = fmt.Errorf("ncmec: %s: %w", step, &cybertip.ResponseError{Code: code, Description: desc})
	}
	return x
}
