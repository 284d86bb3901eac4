package secret

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery", rand.Reader)
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q, %v", h, err)
	}
	if ok, _ := CheckPassword(h, "correct horse battery"); !ok {
		t.Error("right password refused")
	}
	if ok, _ := CheckPassword(h, "correct horse batterY"); ok {
		t.Error("wrong password accepted")
	}
	if _, err := CheckPassword("$bcrypt$x", "p"); err == nil {
		t.Error("malformed hash accepted")
	}
	if ok, err := CheckPassword(DummyHash, "anything"); ok || err != nil {
		t.Errorf("dummy hash: ok=%v err=%v", ok, err)
	}
}

func TestMatchTOTPReturnsStep(t *testing.T) {
	sec, _ := NewTOTPSecret(rand.Reader)
	now := time.Unix(1_800_000_015, 0)
	code, _ := TOTPCode(sec, now.Add(-30*time.Second))
	step, ok := MatchTOTP(sec, code, now)
	if !ok || step != TOTPStep(now)-1 {
		t.Errorf("step %d ok %v, want %d", step, ok, TOTPStep(now)-1)
	}
	if _, ok := MatchTOTP(sec, "12345", now); ok {
		t.Error("five-digit code accepted")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, err := RecoveryCodes(rand.Reader)
	if err != nil || len(codes) != 10 {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || seen[c] || NormalizeRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != c {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
}

func TestQRCodeIsPNG(t *testing.T) {
	sec, _ := NewTOTPSecret(rand.Reader)
	png, err := TOTPQRCode(sec, "a@example.org")
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("not a PNG: %v", err)
	}
	if uri := TOTPURI(sec, "a@example.org"); !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, sec) {
		t.Errorf("uri %q", uri)
	}
}
