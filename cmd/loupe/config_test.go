package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/web"
)

// parseServe reads serve's flags from args and the environment envs.
func parseServe(envs map[string]string, args ...string) (config, error) {
	e := env{stderr: io.Discard, getenv: func(k string) string { return envs[k] }}
	var c config
	fs := newFlags(e, "serve", "serve [flags]")
	c.registerServe(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		return c, err
	}
	return c, c.validate()
}

func TestLimitSettings(t *testing.T) {
	c, err := parseServe(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxConns != 1024 || c.timeouts() != web.DefaultTimeouts || c.MaxMedia != 20 || c.DecodeMemoryMB != 1024 {
		t.Errorf("defaults: %d conns, %+v, %d media, %d MiB", c.MaxConns, c.timeouts(), c.MaxMedia, c.DecodeMemoryMB)
	}
	c, err = parseServe(map[string]string{"LOUPE_READ_TIMEOUT": "5s", "LOUPE_MAX_CONNS": "10", "LOUPE_MIN_TRANSFER_RATE": "8"}, "--read-timeout", "7s")
	if err != nil {
		t.Fatal(err)
	}
	if c.Timeouts.Read != 7*time.Second || c.MaxConns != 10 || c.timeouts().MinRate != 8<<10 {
		t.Errorf("environment and flags: read %v, %d conns, %d bytes a second", c.Timeouts.Read, c.MaxConns, c.timeouts().MinRate)
	}
	for _, tc := range []struct {
		envs map[string]string
		args []string
		says string
	}{
		{map[string]string{"LOUPE_READ_TIMEOUT": "soon"}, nil, "LOUPE_READ_TIMEOUT"},
		{nil, []string{"--max-conns", "0"}, "--max-conns"},
		{nil, []string{"--write-timeout", "10ms"}, "at least 1s"},
		{nil, []string{"--min-transfer-rate", "0"}, "--min-transfer-rate"},
		{nil, []string{"--max-media", "0"}, "--max-media"},
		{map[string]string{"LOUPE_DECODE_MEMORY_MB": "16"}, nil, "--decode-memory-mb"},
	} {
		if _, err := parseServe(tc.envs, tc.args...); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v %v: err = %v, want a usage error about %s", tc.envs, tc.args, err, tc.says)
		}
	}
}
func TestNCMECURLMustBePublicHTTPS(t *testing.T) {
	creds := map[string]string{"LOUPE_NCMEC_USER": "isp", "LOUPE_NCMEC_PASSWORD": "secret"}
	cases := []struct {
		args    []string
		problem string // "" when valid
	}{
		{[]string{"--ncmec-url", "https://exttest.cybertip.org/ispws"}, ""},
		{[]string{"--ncmec-url", "http://exttest.cybertip.org/ispws"}, "must use https://"},
		{[]string{"--ncmec-url", "https://127.0.0.1:8089"}, "internal address"},
		{[]string{"--ncmec-url", "https://169.254.169.254/"}, "internal address"},
		{[]string{"--ncmec-url", "ftp://exttest.cybertip.org"}, "absolute https:// URL"},
		// the documented way to try reports against the local fake
		{[]string{"--ncmec-url", "http://127.0.0.1:8089", "--allow-insecure-outbound"}, ""},
	}
	for _, tc := range cases {
		_, err := parseServe(creds, tc.args...)
		switch {
		case tc.problem == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.problem != "" && (!errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.problem)):
			t.Errorf("%v: %v, want a usage error saying %q", tc.args, err, tc.problem)
		}
	}
	creds["LOUPE_ALLOW_INSECURE_OUTBOUND"] = "true"
	if c, err := parseServe(creds, "--ncmec-url", "http://127.0.0.1:8089"); err != nil || !c.outbound().AllowInsecure {
		t.Errorf("LOUPE_ALLOW_INSECURE_OUTBOUND=true: %v", err)
	}
}
