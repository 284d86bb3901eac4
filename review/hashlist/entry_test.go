package hashlist

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validEntry() Entry {
	return Entry{
		Type: MD5, Value: md5Empty, Category: "csam-adjacent", Status: Active,
		Source: SourceDecision, AddedBy: "alice", AddedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Version: 7,
	}
}

func TestEntryValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Entry)
		wantErr string // "" means valid
	}{
		{"valid", func(*Entry) {}, ""},
		{"retracted with reason", func(e *Entry) { e.Status, e.Reason = Retracted, "false positive" }, ""},
		{"zero source and version", func(e *Entry) { e.Source, e.Version = "", 0 }, ""},
		{"category of 64 bytes", func(e *Entry) { e.Category = strings.Repeat("c", 64) }, ""},
		{"unicode category", func(e *Entry) { e.Category = "gewalt – ärger" }, ""},
		{"unknown type", func(e *Entry) { e.Type = "sha1" }, `hash_type: unknown hash type "sha1"`},
		{"upper-case value", func(e *Entry) { e.Value = strings.ToUpper(md5Empty) }, "hash_value: not in canonical form"},
		{"value of wrong length", func(e *Entry) { e.Value = md5Empty[1:] }, "hash_value: want 32 hex digits"},
		{"empty status", func(e *Entry) { e.Status = "" }, `status: unknown status ""`},
		{"unknown status", func(e *Entry) { e.Status = "deleted" }, `status: unknown status "deleted"`},
		{"retracted without reason", func(e *Entry) { e.Status = Retracted }, "reason: required when status is retracted"},
		{"category of 65 bytes", func(e *Entry) { e.Category = strings.Repeat("c", 65) }, "category: longer than 64 bytes (got 65)"},
		{"category with newline", func(e *Entry) { e.Category = "a\nb" }, "category: has a non-printable character U+000A at byte 2"},
		{"category not UTF-8", func(e *Entry) { e.Category = "a\xffb" }, "category: not valid UTF-8"},
		{"category with outer space", func(e *Entry) { e.Category = " a" }, "category: has spaces at the start or end"},
		{"category as formula", func(e *Entry) { e.Category = "=HYPERLINK(1)" }, `category: starts with "="`},
		{"reason as formula", func(e *Entry) { e.Status, e.Reason = Retracted, "@SUM(1)" }, `reason: starts with "@"`},
		{"reason too long", func(e *Entry) { e.Reason = strings.Repeat("r", 1025) }, "reason: longer than 1024 bytes"},
		{"unknown source", func(e *Entry) { e.Source = "partner" }, `source: unknown source "partner"`},
		{"negative version", func(e *Entry) { e.Version = -1 }, "version: negative"},
		{"several problems", func(e *Entry) { e.Type, e.Status = "x", "y" }, `hash_type: unknown hash type "x" (want pdq, md5 or sha256); status: unknown status "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.edit(&e)
			err := e.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want containing %q", err, tt.wantErr)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %T, want one unwrapping to *FieldError", err)
			}
		})
	}
}
