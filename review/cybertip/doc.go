// Package cybertip turns a reviewer's decision into the XML documents of an
// NCMEC CyberTipline report and reads NCMEC's answers.
//
// It models only the part of NCMEC's schema (schema/cyber_tipline.xsd) that
// Loupe fills. The schema uses xs:sequence throughout and NCMEC rejects
// children out of order (response code 4100), so every struct here declares
// its fields in schema order; tests check the output against the schema with
// xmllint, and Validate does the same at run time. Apart from Validate the
// package does no I/O: the transport that posts /submit, /upload, /fileinfo
// and /finish is review/ncmec.
package cybertip
