package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingReader fails the test if a key that should be reused is made anew.
type failingReader struct{ t *testing.T }

func (r failingReader) Read([]byte) (int, error) {
	r.t.Error("randomness consumed")
	return 0, io.ErrUnexpectedEOF
}

func TestMasterKeyFromEnv(t *testing.T) {
	key := bytes.Repeat([]byte{0xA5, 0x01, 0xFE, 0x7C}, 8)
	tests := []struct {
		name string
		env  string
		ok   bool
	}{
		{"hex", hex.EncodeToString(key), true},
		{"upper-case hex", strings.ToUpper(hex.EncodeToString(key)), true},
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 without padding", base64.RawStdEncoding.EncodeToString(key), true},
		{"base64url", base64.URLEncoding.EncodeToString(key), true},
		{"surrounding white space", "  " + base64.StdEncoding.EncodeToString(key) + "\n", true},
		{"16-byte key in hex", hex.EncodeToString(key[:16]), false},
		{"16-byte key in base64", base64.StdEncoding.EncodeToString(key[:16]), false},
		{"33-byte key", base64.StdEncoding.EncodeToString(append(key, 1)), false},
		{"not an encoding", "correct horse battery staple!", false},
		{"hex with a stray character", hex.EncodeToString(key)[:63] + "g", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			got, err := LoadOrCreateMasterKey(path, tt.env, failingReader{t})
			if !tt.ok {
				if err == nil {
					t.Fatal("accepted a malformed key")
				}
				if !strings.Contains(err.Error(), "LOUPE_MASTER_KEY") {
					t.Errorf("error %q does not name LOUPE_MASTER_KEY", err)
				}
				if strings.Contains(err.Error(), strings.TrimSpace(tt.env)) {
					t.Errorf("error %q repeats the key", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, key) {
				t.Errorf("key = %x, want %x", got, key)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Error("a key file was created although the environment held the key")
			}
		})
	}
}

func TestMasterKeyFileCreatedAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "master.key")
	first, err := LoadOrCreateMasterKey(path, "", seeded(9))
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != KeySize {
		t.Fatalf("key is %d bytes", len(first))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %04o, want 0600", perm)
	}
	again, err := LoadOrCreateMasterKey(path, "", failingReader{t})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Error("the key changed between starts")
	}
	// The file holds the key as text that LOUPE_MASTER_KEY accepts.
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fromEnv, err := LoadOrCreateMasterKey(path, string(text), failingReader{t})
	if err != nil || !bytes.Equal(fromEnv, first) {
		t.Errorf("the file's text as LOUPE_MASTER_KEY: %x, %v", fromEnv, err)
	}
}

func TestMasterKeyFileRefused(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, KeySize)) + "\n"
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		ok      bool
		message string
	}{
		{"owner only", good, 0o600, true, ""},
		{"owner read-only", good, 0o400, true, ""},
		{"raw 32 bytes", string(bytes.Repeat([]byte{3}, KeySize)), 0o600, true, ""},
		{"group readable", good, 0o640, false, "chmod 600"},
		{"world readable", good, 0o644, false, "chmod 600"},
		{"short key", base64.StdEncoding.EncodeToString(make([]byte, 16)), 0o600, false, "16 bytes"},
		{"empty file", "", 0o600, false, "empty"},
		{"garbage", "this is not a key at all", 0o600, false, "neither hex nor base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, []byte(tt.content), tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil { // umask
				t.Fatal(err)
			}
			key, err := LoadOrCreateMasterKey(path, "", failingReader{t})
			if tt.ok {
				if err != nil || !bytes.Equal(key, bytes.Repeat([]byte{3}, KeySize)) {
					t.Errorf("key %x, %v", key, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.message)
			}
		})
	}
	t.Run("a directory", func(t *testing.T) {
		if _, err := LoadOrCreateMasterKey(t.TempDir(), "", failingReader{t}); err == nil {
			t.Error("accepted a directory as the key file")
		}
	})
}
