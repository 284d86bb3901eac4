package main

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// serveConfig parses serve's flags with environment env.
func serveConfig(t *testing.T, env map[string]string, args ...string) (config, error) {
	t.Helper()
	var c config
	e := testEnv(env)
	fs := newFlags(e, "serve", "serve")
	c.registerServe(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		t.Fatal(err)
	}
	return c, c.validate()
}

func testEnv(vars map[string]string) env {
	return env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
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
		_, err := serveConfig(t, creds, tc.args...)
		switch {
		case tc.problem == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.problem != "" && (!errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.problem)):
			t.Errorf("%v: %v, want a usage error saying %q", tc.args, err, tc.problem)
		}
	}
	creds["LOUPE_ALLOW_INSECURE_OUTBOUND"] = "true"
	if c, err := serveConfig(t, creds, "--ncmec-url", "http://127.0.0.1:8089"); err != nil || !c.outbound().AllowInsecure {
		t.Errorf("LOUPE_ALLOW_INSECURE_OUTBOUND=true: %v", err)
	}
}
