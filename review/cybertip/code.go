package cybertip

import "strconv"

// Code is a responseCode from NCMEC's reporting service.
type Code int

// The response codes NCMEC documents.
const (
	CodeOK               Code = 0
	CodeServerError      Code = 1000
	CodeSaveFailed       Code = 1100
	CodeUploadFailed     Code = 1110
	CodeUploadFailedAlt  Code = 1111 // NCMEC lists 1110 and 1111 as the same failure
	CodeNotFound         Code = 1210
	CodeUpdateFailed     Code = 1300
	CodeAuthRequired     Code = 2000
	CodeNotAuthorized    Code = 3000
	CodeNoSubmitRights   Code = 3100
	CodeNoUpdateRights   Code = 3300
	CodeInvalidRequest   Code = 4000
	CodeValidationFailed Code = 4100
	CodeMalformedXML     Code = 4110
	CodeMalformedFile    Code = 4200
	CodeNoSuchReport     Code = 5001
	CodeNoSuchFile       Code = 5002
	CodeAlreadyRetracted Code = 5101
	CodeAlreadyFinished  Code = 5102
)

// codeMeanings is NCMEC's table of response codes.
var codeMeanings = map[Code]string{
	CodeOK:               "success",
	CodeServerError:      "server error",
	CodeSaveFailed:       "save failed",
	CodeUploadFailed:     "upload failed",
	CodeUploadFailedAlt:  "upload failed",
	CodeNotFound:         "not found",
	CodeUpdateFailed:     "update failed",
	CodeAuthRequired:     "authentication required",
	CodeNotAuthorized:    "not authorized",
	CodeNoSubmitRights:   "no submit rights",
	CodeNoUpdateRights:   "no update rights",
	CodeInvalidRequest:   "invalid request",
	CodeValidationFailed: "validation failed",
	CodeMalformedXML:     "malformed XML",
	CodeMalformedFile:    "malformed file",
	CodeNoSuchReport:     "report does not exist",
	CodeNoSuchFile:       "file does not exist",
	CodeAlreadyRetracted: "report already retracted",
	CodeAlreadyFinished:  "report already finished",
}

// String is the code's meaning, for logs and the report's history.
func (c Code) String() string {
	if m, ok := codeMeanings[c]; ok {
		return strconv.Itoa(int(c)) + " " + m
	}
	return strconv.Itoa(int(c)) + " unknown response code"
}

// Known reports whether c is in NCMEC's table.
func (c Code) Known() bool {
	_, ok := codeMeanings[c]
	return ok
}

// Retryable reports whether the failure is on NCMEC's side and may pass if
// the submission is tried again later (as a unit: submit, upload, fileinfo,
// finish). Validation, authentication and rights failures need a person to
// fix input or configuration first, and an unknown code is not retried
// blindly.
func (c Code) Retryable() bool {
	switch c {
	case CodeServerError, CodeSaveFailed, CodeUploadFailed, CodeUploadFailedAlt, CodeUpdateFailed:
		return true
	}
	return false
}

// Terminal reports whether the report can no longer change: it was
// retracted or finished. After a retried /finish whose first answer was
// lost, CodeAlreadyFinished means the earlier finish succeeded.
func (c Code) Terminal() bool {
	return c == CodeAlreadyRetracted || c == CodeAlreadyFinished
}
