package cybertip

import (
	"fmt"
	"slices"
	"time"
)

// BuildFileDetails turns one file into the <fileDetails> document for
// /fileinfo, once /submit has returned reportID and /upload fileID. It
// lists the same file problems BuildReport does, plus missing ids. A nil
// tax is the default taxonomy.
func BuildFileDetails(reportID int64, fileID string, f FileInput, tax Taxonomy, now time.Time) (FileDetails, []Problem) {
	var ps problems
	if reportID <= 0 {
		ps.add("ReportID", "is required")
	}
	ps.required("FileID", fileID)
	d := buildFile("", f, tax, now, &ps)
	d.ReportID, d.FileID = reportID, fileID
	return d, ps
}

// buildFile builds the file's details without ids; prefix goes before
// each problem's field ("Files[2]." from BuildReport).
func buildFile(prefix string, f FileInput, tax Taxonomy, now time.Time, ps *problems) FileDetails {
	d := FileDetails{
		OriginalFileName:       f.OriginalName,
		UploadedToESPTimestamp: timePtr(f.UploadedAt),
		LocationOfFile:         f.Location,
		FileViewedByESP:        f.ViewedByESP,
		EXIFViewedByESP:        f.EXIFViewedByESP,
		PubliclyAvailable:      f.PubliclyAvailable,
		FileRelevance:          f.Relevance,
		OriginalFileHashes:     slices.Clone(f.Hashes),
		AdditionalInfo:         f.AdditionalInfo,
	}
	ps.notFuture(prefix+"UploadedAt", f.UploadedAt, now)
	ps.url(prefix+"Location", f.Location)
	if f.Relevance != "" && !f.Relevance.Valid() {
		ps.add(prefix+"Relevance", "%q is not a file relevance the schema knows", f.Relevance)
	}
	if c, ok := tax.Classify(f.Classification); ok {
		d.IndustryClassification = c
	} else {
		ps.add(prefix+"Classification", "%q is not a known industry classification", f.Classification)
	}
	if f.Annotations.any() {
		a := f.Annotations
		d.FileAnnotations = &a
	}
	if len(f.Hashes) == 0 {
		ps.add(prefix+"Hashes", "at least one hash of the file as uploaded is required")
	}
	for i, h := range f.Hashes {
		field := fmt.Sprintf("%sHashes[%d]", prefix, i)
		ps.required(field+".Type", h.Type)
		ps.required(field+".Value", h.Value)
	}
	if f.UploadIP != "" {
		ps.ip(prefix+"UploadIP", f.UploadIP)
		ps.notFuture(prefix+"UploadIPAt", f.UploadIPAt, now)
		d.IPCaptureEvent = &IPCaptureEvent{IPAddress: f.UploadIP, EventName: EventUpload, DateTime: timePtr(f.UploadIPAt)}
	}
	return d
}
