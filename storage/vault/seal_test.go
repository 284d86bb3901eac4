package vault

import (
	"bytes"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealedSecretsAreBoundToTheirName(t *testing.T) {
	v, err := Open(filepath.Join(t.TempDir(), "media"), bytes.Repeat([]byte{7}, 32), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Seal("callback-secret:1", []byte("hush, a secret"))
	if err != nil || strings.Contains(string(s), "hush") {
		t.Fatalf("seal: %q %v", s, err)
	}
	if got, err := v.Open("callback-secret:1", s); err != nil || string(got) != "hush, a secret" {
		t.Errorf("open: %q %v", got, err)
	}
	if _, err := v.Open("callback-secret:2", s); err == nil {
		t.Error("a sealed secret opened under another name")
	}
	other, _ := Open(filepath.Join(t.TempDir(), "media"), bytes.Repeat([]byte{8}, 32), rand.Reader)
	if _, err := other.Open("callback-secret:1", s); err == nil {
		t.Error("opened with another master key")
	}
}
