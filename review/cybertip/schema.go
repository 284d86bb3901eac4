package cybertip

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Schema is NCMEC's report schema (schema/cyber_tipline.xsd), as published
// at the reporting service's /ispws/xsd endpoint. Treat it as read-only.
//
//go:embed schema/cyber_tipline.xsd
var Schema []byte

// ErrNoValidator means xmllint is not on PATH, so Validate could not check
// the document (Debian package libxml2-utils provides it).
var ErrNoValidator = errors.New("cybertip: xmllint not on PATH: cannot validate against the schema")

// SchemaError is a document the schema rejects, with xmllint's complaints
// ("line 3: element reporter: Schemas validity error : ...").
type SchemaError struct {
	Complaints []string
}

func (e *SchemaError) Error() string {
	return "cybertip: document does not validate: " + strings.Join(e.Complaints, "; ")
}

// Validate checks doc against Schema with xmllint, as NCMEC will on
// receipt. It returns nil, a *SchemaError listing xmllint's complaints,
// ErrNoValidator, or an error running xmllint. Go has no XSD validator, so
// this shells out; it writes the schema and the document to a temporary
// directory it removes afterwards.
func Validate(ctx context.Context, doc []byte) error {
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return ErrNoValidator
	}
	dir, err := os.MkdirTemp("", "cybertip-validate-")
	if err != nil {
		return fmt.Errorf("cybertip: validate: %w", err)
	}
	defer os.RemoveAll(dir)
	schema, file := filepath.Join(dir, "cyber_tipline.xsd"), filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(schema, Schema, 0o600); err != nil {
		return fmt.Errorf("cybertip: validate: %w", err)
	}
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		return fmt.Errorf("cybertip: validate: %w", err)
	}
	out, err := exec.CommandContext(ctx, bin, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err == nil {
		return nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || ctx.Err() != nil {
		return fmt.Errorf("cybertip: run xmllint: %w", err)
	}
	return &SchemaError{Complaints: complaints(out, file)}
}

// complaints keeps xmllint's lines about the document, naming the line
// instead of the temporary file, and drops its summary and the source
// excerpts it prints under parser errors.
func complaints(out []byte, file string) []string {
	var cs []string
	for line := range strings.Lines(string(out)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), file+":"); ok {
			cs = append(cs, "line "+rest)
		}
	}
	if len(cs) == 0 {
		cs = append(cs, string(bytes.TrimSpace(out)))
	}
	return cs
}
