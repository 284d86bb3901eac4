// Package secret holds the pure cryptography of signing in: password
// hashing, TOTP codes, recovery codes and random tokens. Randomness and time
// are passed in so tests are deterministic.
package secret
