package secret

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"image/png"
	"io"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTPPeriod is the length of one time step.
const TOTPPeriod = 30

var totpOpts = totp.ValidateOpts{Period: TOTPPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a new random base32 secret.
func NewTOTPSecret(random io.Reader) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Loupe", AccountName: "x", Rand: random})
	if err != nil {
		return "", fmt.Errorf("secret: totp secret: %w", err)
	}
	return key.Secret(), nil
}

// TOTPURI is the otpauth:// URI an authenticator app scans.
func TOTPURI(secret, email string) string {
	key, err := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/Loupe:%s?secret=%s&issuer=Loupe&period=%d&digits=6&algorithm=SHA1", email, secret, TOTPPeriod))
	if err != nil {
		return ""
	}
	return key.URL()
}

// TOTPQRCode renders the enrollment URI as a PNG QR code.
func TOTPQRCode(secret, email string) ([]byte, error) {
	key, err := otp.NewKeyFromURL(TOTPURI(secret, email))
	if err != nil {
		return nil, fmt.Errorf("secret: totp uri: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, fmt.Errorf("secret: qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("secret: qr png: %w", err)
	}
	return buf.Bytes(), nil
}

// TOTPCode returns the code for secret at t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// MatchTOTP checks code against the previous, current and next time steps
// (one step of clock skew either way) and returns the step it matched, so
// the caller can refuse the same step again.
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	if len(code) != 6 {
		return 0, false
	}
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew*TOTPPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / TOTPPeriod, true
		}
	}
	return 0, false
}

// TOTPStep is the time step that contains t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }
