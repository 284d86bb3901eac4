package secret

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Token returns n random bytes as lower-case base32 text, for session ids,
// CSRF tokens and API tokens.
func Token(random io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("secret: token: %w", err)
	}
	return strings.ToLower(b32.EncodeToString(b)), nil
}

// Digest is the SHA-256 of a high-entropy token, as stored in the database.
// A slow hash is unnecessary for values with 128 bits or more of randomness.
func Digest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RecoveryCodeCount is how many recovery codes a person receives.
const RecoveryCodeCount = 10

// RecoveryCodes returns fresh one-time codes such as "k7q2-m9xw-4hpt".
func RecoveryCodes(random io.Reader) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		t, err := Token(random, 8) // 64 bits, 13 characters
		if err != nil {
			return nil, err
		}
		t = t[:12]
		codes[i] = t[0:4] + "-" + t[4:8] + "-" + t[8:12]
	}
	return codes, nil
}

// NormalizeRecoveryCode makes typed codes comparable: case, spaces and
// dashes do not matter.
func NormalizeRecoveryCode(s string) string {
	s = strings.ToLower(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s))
	if len(s) != 12 {
		return s
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

// Password returns a random password that a person can type: 20 characters.
func Password(random io.Reader) (string, error) {
	t, err := Token(random, 15)
	if err != nil {
		return "", err
	}
	return t[:20], nil
}
