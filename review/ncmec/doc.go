// Package ncmec talks to NCMEC's CyberTipline reporting service (its "ISP
// web services"): Client posts the documents review/cybertip builds, and
// Fake stands in for the service in tests and local trials.
//
// Every call returns an Exchange recording what was sent and what came back,
// so the caller can keep the full history of a report. Submit, upload,
// fileinfo and finish belong together: NCMEC discards a report that is never
// finished, so a caller retries the whole sequence, not one step.
package ncmec
