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
