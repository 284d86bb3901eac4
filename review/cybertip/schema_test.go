package cybertip

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// xmllint validates data against NCMEC's schema. CI installs xmllint and
// fails on skipped tests, so a missing xmllint is a skip, not a pass.
func xmllint(t *testing.T, data []byte) error {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not on PATH: install libxml2-utils to validate against the NCMEC schema (CI installs it and fails on skips)")
	}
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", schemaPath, file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

func TestGeneratedDocumentsValidateAgainstSchema(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*ReportInput)
	}{
		{"one file", func(*ReportInput) {}},
		{"many files", func(in *ReportInput) {
			no := false
			for i := 2; i <= 6; i++ {
				f := exampleFile(i)
				f.ViewedByESP = i%2 == 0 // files the ledger shows unrevealed say so
				f.PubliclyAvailable = &no
				f.Classification = []string{"A1", "A2", "B1", "B2", ""}[i-2]
				f.Relevance = RelevanceSupplemental
				in.Files = append(in.Files, f)
			}
		}},
		{"no IP data", func(in *ReportInput) {
			in.Reported.IPEvents = nil
			for i := range in.Files {
				in.Files[i].UploadIP = ""
			}
		}},
		{"escalated", func(in *ReportInput) {
			in.Escalation = "The account announced a meeting with a child for tonight."
			in.IncidentType = OnlineEnticement
		}},
		{"annotations", func(in *ReportInput) {
			in.Annotations = ReportAnnotations{Sextortion: true, MinorToMinorInteraction: true}
			in.Files[0].Annotations = FileAnnotations{PossibleSelfProduction: true, Viral: true}
		}},
		{"no reported account", func(in *ReportInput) { in.Reported = nil }},
		{"every modelled element", func(in *ReportInput) { *in = fullInput() }},
		{"minimal", func(in *ReportInput) {
			*in = ReportInput{
				Org:          Organisation{Reporter: Contact{FirstName: "Alex", LastName: "Example", Email: "trust@example.org"}},
				IncidentType: ChildPornography,
				IncidentTime: testNow,
				URLs:         []string{"https://example.org/p/1"},
				Files:        []FileInput{{Hashes: []Hash{{Type: "MD5", Value: "0123456789abcdef0123456789abcdef"}}}},
			}
		}},
		{"text needing escapes", func(in *ReportInput) {
			in.AdditionalInfo = "Caption: <b>\"free\" & 'new'</b>\nsecond line"
			in.Reported.ScreenName = "a<b>&c"
		}},
		{"non-UTC times", func(in *ReportInput) {
			zone := time.FixedZone("UTC+9", 9*3600)
			in.IncidentTime = in.IncidentTime.In(zone)
			in.Files[0].UploadedAt = in.Files[0].UploadedAt.In(zone).Add(123456789 * time.Nanosecond)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := exampleInput()
			tc.edit(&in)
			r, ps := BuildReport(in, testNow)
			if len(ps) != 0 {
				t.Fatalf("problems = %v", ps)
			}
			data := mustXML(t, r)
			if err := xmllint(t, data); err != nil {
				t.Errorf("report does not validate: %v\n%s", err, data)
			}
			for i, f := range in.Files {
				d, ps := BuildFileDetails(4564654, fmt.Sprintf("file-%d", i), f, in.Taxonomy, testNow)
				if len(ps) != 0 {
					t.Fatalf("file %d problems = %v", i, ps)
				}
				data := mustXML(t, d)
				if err := xmllint(t, data); err != nil {
					t.Errorf("file %d details do not validate: %v\n%s", i, err, data)
				}
			}
		})
	}
}

// A document out of schema order must fail, or passing the test above
// would prove nothing about order.
func TestXmllintRejectsOutOfOrder(t *testing.T) {
	r, _ := BuildReport(exampleInput(), testNow)
	data := mustXML(t, r)
	if err := xmllint(t, data); err != nil {
		t.Fatalf("valid report rejected: %v", err)
	}
	// Move <reporter> in front of <incidentSummary>.
	start, end := bytes.Index(data, []byte("  <reporter>")), bytes.Index(data, []byte("</reporter>\n"))+len("</reporter>\n")
	summary := bytes.Index(data, []byte("  <incidentSummary>"))
	if start < 0 || end < start || summary < 0 {
		t.Fatalf("unexpected document:\n%s", data)
	}
	var swapped []byte
	swapped = append(swapped, data[:summary]...)
	swapped = append(swapped, data[start:end]...)
	swapped = append(swapped, data[summary:start]...)
	swapped = append(swapped, data[end:]...)
	if err := xmllint(t, swapped); err == nil {
		t.Errorf("xmllint accepted a report with <reporter> first:\n%s", swapped)
	}
}

func TestSchemaEmbedded(t *testing.T) {
	disk, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Schema, disk) || !bytes.Contains(Schema, []byte(`<xs:element name="reportDoneResponse">`)) {
		t.Errorf("Schema (%d bytes) is not %s (%d bytes)", len(Schema), schemaPath, len(disk))
	}
}

func TestValidate(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not on PATH: install libxml2-utils (CI installs it and fails on skips)")
	}
	ctx := context.Background()
	r, _ := BuildReport(exampleInput(), testNow)
	valid := mustXML(t, r)
	if err := Validate(ctx, valid); err != nil {
		t.Fatalf("valid report rejected: %v", err)
	}
	for _, tc := range []struct {
		name, doc, complaint string
	}{
		{"out of order", "<report>\n<reporter/>\n</report>", "line 2: element reporter: Schemas validity error : Element 'reporter': This element is not expected."},
		{"malformed", "<report><reporter>", "line 1: parser error"},
		{"unknown root", "<note/>", "line 1: element note: Schemas validity error : Element 'note': No matching global declaration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(ctx, []byte(tc.doc))
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SchemaError", err)
			}
			if !strings.HasPrefix(se.Complaints[0], "line ") || !strings.Contains(err.Error(), tc.complaint) {
				t.Errorf("complaints = %q, want one containing %q", se.Complaints, tc.complaint)
			}
			if strings.Contains(err.Error(), os.TempDir()) {
				t.Errorf("error names the temporary file: %v", err)
			}
		})
	}
}

func TestValidateWithoutXmllint(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if err := Validate(context.Background(), []byte("<report/>")); !errors.Is(err, ErrNoValidator) {
		t.Errorf("err = %v, want ErrNoValidator", err)
	}
}
