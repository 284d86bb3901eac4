package cybertip

import (
	"encoding/xml"
	"fmt"
)

// Response is <reportResponse>, NCMEC's answer to /submit, /upload,
// /fileinfo and /retract. ReportID is set by /submit; FileID and Hash
// (NCMEC's MD5 of the bytes it received) by /upload.
type Response struct {
	XMLName     xml.Name `xml:"reportResponse"`
	Code        Code     `xml:"responseCode"`
	Description string   `xml:"responseDescription"`
	ReportID    int64    `xml:"reportId"`
	FileID      string   `xml:"fileId"`
	Hash        string   `xml:"hash"`
}

// DoneResponse is <reportDoneResponse>, the answer to /finish.
type DoneResponse struct {
	XMLName  xml.Name `xml:"reportDoneResponse"`
	Code     Code     `xml:"responseCode"`
	ReportID int64    `xml:"reportId"`
	// FileIDs are the files NCMEC holds for the finished report.
	FileIDs []string `xml:"files>fileId"`
}

// ParseResponse reads a <reportResponse> body. A non-zero code is not a
// parse error: ask r.Err().
func ParseResponse(body []byte) (Response, error) {
	var r Response
	if err := xml.Unmarshal(body, &r); err != nil {
		return Response{}, fmt.Errorf("cybertip: parse reportResponse: %w", err)
	}
	return r, nil
}

// ParseDoneResponse reads a <reportDoneResponse> body.
func ParseDoneResponse(body []byte) (DoneResponse, error) {
	var r DoneResponse
	if err := xml.Unmarshal(body, &r); err != nil {
		return DoneResponse{}, fmt.Errorf("cybertip: parse reportDoneResponse: %w", err)
	}
	return r, nil
}

// Err is nil when NCMEC accepted the request, a *ResponseError otherwise.
func (r Response) Err() error {
	if r.Code == CodeOK {
		return nil
	}
	return &ResponseError{Code: r.Code, Description: r.Description}
}

// Err is nil when NCMEC finished the report, a *ResponseError otherwise.
func (r DoneResponse) Err() error {
	if r.Code == CodeOK {
		return nil
	}
	return &ResponseError{Code: r.Code}
}

// ResponseError is a request NCMEC refused; Code says whether to retry.
type ResponseError struct {
	Code        Code
	Description string // NCMEC's own words, when it gave any
}

func (e *ResponseError) Error() string {
	if e.Description == "" {
		return "cybertip: ncmec refused: " + e.Code.String()
	}
	return fmt.Sprintf("cybertip: ncmec refused: %s: %s", e.Code, e.Description)
}

// ParseCode reads the responseCode and responseDescription of any NCMEC
// answer, a <reportResponse> or a <reportDoneResponse> (which has no
// description), for callers that must judge an answer before knowing which
// of the two came back.
func ParseCode(body []byte) (Code, string, error) {
	var r struct {
		XMLName     xml.Name
		Code        *Code  `xml:"responseCode"`
		Description string `xml:"responseDescription"`
	}
	if err := xml.Unmarshal(body, &r); err != nil {
		return 0, "", fmt.Errorf("cybertip: parse response code: %w", err)
	}
	if root := r.XMLName.Local; root != "reportResponse" && root != "reportDoneResponse" {
		return 0, "", fmt.Errorf("cybertip: parse response code: unexpected <%s>", root)
	}
	if r.Code == nil {
		return 0, "", fmt.Errorf("cybertip: parse response code: no <responseCode> in <%s>", r.XMLName.Local)
	}
	return *r.Code, r.Description, nil
}
