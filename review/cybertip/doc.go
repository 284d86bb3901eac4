// Package cybertip turns a reviewer's decision into the XML documents of an
// NCMEC CyberTipline report and reads NCMEC's answers.
//
// It models only the part of NCMEC's schema (testdata/cyber_tipline.xsd) that
// Loupe fills. The schema uses xs:sequence throughout and NCMEC rejects
// children out of order (response code 4100), so every struct here declares
// its fields in schema order; tests check the output against the schema with
// xmllint. The package does no I/O: the transport that posts /submit,
// /upload, /fileinfo and /finish lives elsewhere.
package cybertip
