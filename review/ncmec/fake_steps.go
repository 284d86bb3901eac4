package ncmec

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review/cybertip"
)

// The fake's endpoints. Each returns its answer; Fake.serve writes it.

func (f *Fake) status(*http.Request) answer {
	return answer{Description: "Server is up"}
}

func (f *Fake) submit(r *http.Request) answer {
	doc, a, ok := f.document(r, "report")
	if !ok {
		return a
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastID++
	f.reports[f.lastID] = &FakeReport{ID: f.lastID, XML: string(doc)}
	return answer{ReportID: f.lastID}
}

func (f *Fake) upload(r *http.Request) answer {
	id, err := strconv.ParseInt(r.FormValue("id"), 10, 64)
	if err != nil {
		return answer{Code: cybertip.CodeInvalidRequest, Description: "upload: want a multipart form with a numeric id"}
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return answer{Code: cybertip.CodeInvalidRequest, Description: "upload: no file part", ReportID: id}
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil || len(data) == 0 {
		return answer{Code: cybertip.CodeMalformedFile, Description: "upload: empty or unreadable file", ReportID: id}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	call := fmt.Sprintf("upload %q", hdr.Filename)
	rep, code := f.open(id)
	if code != cybertip.CodeOK {
		return answer{Code: code, ReportID: id, call: call}
	}
	sum, md := sha256.Sum256(data), md5.Sum(data)
	ff := FakeFile{ID: fmt.Sprintf("f%d-%d", id, len(rep.Files)+1), Name: hdr.Filename, Size: len(data), SHA256: hex.EncodeToString(sum[:])}
	rep.Files = append(rep.Files, ff)
	return answer{ReportID: id, FileID: ff.ID, Hash: hex.EncodeToString(md[:]), call: fmt.Sprintf("upload %s %q", ff.ID, ff.Name)}
}

func (f *Fake) fileinfo(r *http.Request) answer {
	doc, a, ok := f.document(r, "fileDetails")
	if !ok {
		return a
	}
	var d struct {
		ReportID int64  `xml:"reportId"`
		FileID   string `xml:"fileId"`
	}
	if err := xml.Unmarshal(doc, &d); err != nil {
		return answer{Code: cybertip.CodeMalformedXML, Description: err.Error()}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a = answer{ReportID: d.ReportID, FileID: d.FileID, call: "fileinfo " + d.FileID}
	rep, code := f.open(d.ReportID)
	if code != cybertip.CodeOK {
		a.Code = code
		return a
	}
	for i := range rep.Files {
		if rep.Files[i].ID == d.FileID {
			rep.Files[i].Details = string(doc)
			return a
		}
	}
	a.Code = cybertip.CodeNoSuchFile
	return a
}

func (f *Fake) finish(r *http.Request) answer {
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil {
		return answer{Code: cybertip.CodeInvalidRequest, Description: "finish: want form field id"}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rep, code := f.open(id)
	if code != cybertip.CodeOK {
		return answer{Code: code, ReportID: id}
	}
	var ids []string
	for _, ff := range rep.Files {
		if ff.Details == "" {
			return answer{Code: cybertip.CodeInvalidRequest, Description: "finish: file " + ff.ID + " has no fileinfo", ReportID: id}
		}
		ids = append(ids, ff.ID)
	}
	rep.Finished = true
	return answer{ReportID: id, FileIDs: ids}
}

func (f *Fake) retract(r *http.Request) answer {
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil {
		return answer{Code: cybertip.CodeInvalidRequest, Description: "retract: want form field id"}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rep, code := f.open(id)
	if code != cybertip.CodeOK {
		return answer{Code: code, ReportID: id}
	}
	rep.Retracted = true
	return answer{ReportID: id}
}

// open finds a report that may still change, or says why it cannot.
// f.mu must be held.
func (f *Fake) open(id int64) (*FakeReport, cybertip.Code) {
	rep, ok := f.reports[id]
	switch {
	case !ok:
		return nil, cybertip.CodeNoSuchReport
	case rep.Retracted:
		return rep, cybertip.CodeAlreadyRetracted
	case rep.Finished:
		return rep, cybertip.CodeAlreadyFinished
	}
	return rep, cybertip.CodeOK
}

// document reads an XML request body and checks it as NCMEC would: well
// formed (4110), the expected root (4000), valid against the schema
// (4100, with xmllint's complaints as the description).
func (f *Fake) document(r *http.Request, root string) ([]byte, answer, bool) {
	doc, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, answer{Code: cybertip.CodeInvalidRequest, Description: "read body: " + err.Error()}, false
	}
	got, err := rootElement(doc)
	if err != nil {
		return nil, answer{Code: cybertip.CodeMalformedXML, Description: err.Error()}, false
	}
	if got != root {
		return nil, answer{Code: cybertip.CodeInvalidRequest, Description: fmt.Sprintf("want <%s>, got <%s>", root, got)}, false
	}
	err = f.validate(r.Context(), doc)
	var se *cybertip.SchemaError
	switch {
	case errors.As(err, &se):
		return nil, answer{Code: cybertip.CodeValidationFailed, Description: strings.Join(se.Complaints, "\n")}, false
	case err != nil:
		return nil, answer{Code: cybertip.CodeServerError, Description: err.Error()}, false
	}
	return doc, answer{}, true
}

// validate runs cybertip.Validate. Without xmllint the fake warns once and
// accepts any well-formed document.
func (f *Fake) validate(ctx context.Context, doc []byte) error {
	err := cybertip.Validate(ctx, doc)
	if errors.Is(err, cybertip.ErrNoValidator) {
		f.warnOnce.Do(func() {
			if f.Log != nil {
				f.Log.Warn("fake cybertipline: xmllint not on PATH: documents are checked for well-formedness only (install libxml2-utils)")
			}
		})
		return nil
	}
	return err
}

// rootElement checks that doc is well-formed XML and names its root.
func rootElement(doc []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF && root != "" {
			return root, nil
		}
		if err != nil {
			return "", fmt.Errorf("malformed XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
}
