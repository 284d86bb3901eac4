package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// loupe runs the command line in-process against data directory dir.
func loupe(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append(args, "--data", dir), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := loupe(t, dir, "", "user", "add", "--email", "ana@example.org", "--role", "reviewer,lead")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("user add: %d %q", code, out)
	}
	code, out, _ = loupe(t, dir, "a long enough password\n", "user", "add", "--email", "bo@example.org", "--role", "admin", "--password-stdin")
	if code != 0 || strings.Contains(out, "password:") {
		t.Fatalf("user add --password-stdin: %d %q", code, out)
	}
	cases := []struct {
		args    []string
		stdin   string
		code    int
		errText string
	}{
		{[]string{"user", "add", "--email", "ana@example.org", "--role", "lead"}, "", 1, "already exists"},
		{[]string{"user", "add", "--email", "cy@example.org", "--role", "boss"}, "", 2, "unknown role"},
		{[]string{"user", "add", "--role", "lead"}, "", 2, "--email and --role are required"},
		{[]string{"user", "add", "--email", "cy@example.org", "--role", "lead", "--password-stdin"}, "short\n", 1, "at least 12"},
		{[]string{"user", "disable", "nobody@example.org"}, "", 1, "no person with email"},
		{[]string{"user", "frobnicate"}, "", 2, "unknown command"},
	}
	for _, tc := range cases {
		code, _, errOut := loupe(t, dir, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.errText) {
			t.Errorf("%v: exit %d %q, want %d containing %q", tc.args, code, errOut, tc.code, tc.errText)
		}
	}
	if code, _, _ := loupe(t, dir, "", "user", "disable", "ana@example.org"); code != 0 {
		t.Errorf("disable: %d", code)
	}
	if code, _, _ := loupe(t, dir, "", "user", "reset-2fa", "bo@example.org"); code != 0 {
		t.Errorf("reset-2fa: %d", code)
	}
	_, out, _ = loupe(t, dir, "", "user", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "ana@example.org") || !strings.Contains(lines[1], "disabled") || !strings.Contains(lines[2], "admin") {
		t.Errorf("user list:\n%s", out)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"user", "add", "--help"}, {"audit", "verify", "--help"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, nil, &out, &errb); code != 0 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, output %q", args, code, errb.String())
		}
	}
}

func TestTokenCommands(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := loupe(t, dir, "", "token", "add", "--name", "scanner", "--source", "photos")
	if code != 0 || !strings.Contains(out, "loupe_") {
		t.Fatalf("token add: %d %q", code, out)
	}
	if code, _, errOut := loupe(t, dir, "", "token", "add", "--name", "scanner", "--source", "photos"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("duplicate: %d %q", code, errOut)
	}
	if code, _, _ := loupe(t, dir, "", "token", "add", "--name", "Bad Name", "--source", "photos"); code != 1 {
		t.Errorf("bad name: exit %d", code)
	}
	if code, _, _ := loupe(t, dir, "", "token", "revoke", "scanner"); code != 0 {
		t.Errorf("revoke: exit %d", code)
	}
	if code, _, _ := loupe(t, dir, "", "token", "revoke", "scanner"); code != 1 {
		t.Errorf("revoke twice: exit %d", code)
	}
	_, out, _ = loupe(t, dir, "", "token", "list")
	if !strings.Contains(out, "scanner") || !strings.Contains(out, "photos") || !strings.Contains(out, "revoked") {
		t.Errorf("token list:\n%s", out)
	}
}

func TestHashCommand(t *testing.T) {
	dir := t.TempDir()
	ref := "../../review/pdq/testdata/bridge-mods/aaa-orig.jpg"
	bad := filepath.Join(dir, "bad.jpg")
	os.WriteFile(bad, []byte("not an image"), 0o600)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"hash", ref, bad, filepath.Join(dir, "missing.png")}, nil, &out, &errb)
	fields := strings.Split(strings.TrimSpace(out.String()), "\t")
	// The reference values from ../shared/pdq/README.md.
	const pdqHex, md5Hex, sha256Hex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22",
		"d35c785545392755e7e4164457657269", "b5b0799616df52d475a3968dc7e54f1d0724c912244ffa6175bc786375dd7298"
	if code != 1 || len(fields) != 5 || fields[0] != pdqHex || fields[2] != md5Hex || fields[3] != sha256Hex || fields[4] != ref {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
	if !strings.Contains(errb.String(), "bad.jpg") || !strings.Contains(errb.String(), "missing.png") || !strings.Contains(errb.String(), "2 of 3") {
		t.Errorf("stderr %q", errb.String())
	}
}

func TestQueueCommands(t *testing.T) {
	dir := t.TempDir()
	loupe(t, dir, "", "user", "add", "--email", "ana@example.org", "--role", "reviewer")
	if code, out, _ := loupe(t, dir, "", "queue", "add", "urgent", "--two-person"); code != 0 || !strings.Contains(out, "added queue urgent") {
		t.Fatalf("queue add: %d %q", code, out)
	}
	if code, _, errOut := loupe(t, dir, "", "queue", "add", "urgent"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("duplicate: %d %q", code, errOut)
	}
	if code, _, _ := loupe(t, dir, "", "queue", "add", "Not A Name"); code != 2 {
		t.Errorf("bad name: exit %d", code)
	}
	if code, _, _ := loupe(t, dir, "", "queue", "assign", "--queue", "urgent", "--email", "ana@example.org"); code != 0 {
		t.Errorf("assign: exit %d", code)
	}
	if code, _, errOut := loupe(t, dir, "", "queue", "assign", "--queue", "nope", "--email", "ana@example.org"); code != 1 || !strings.Contains(errOut, "no queue") {
		t.Errorf("assign to a missing queue: %d %q", code, errOut)
	}
	_, out, _ := loupe(t, dir, "", "queue", "list")
	if !strings.Contains(out, "default") || !strings.Contains(out, "escalations") || !regexpMatch(`urgent\s+0\s+2\s+active\s+1`, out) {
		t.Errorf("queue list:\n%s", out)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

func TestHashlistCommands(t *testing.T) {
	dir, in := t.TempDir(), t.TempDir()
	if code, out, errOut := loupe(t, dir, "", "hashlist", "create", "known", "--kind", "block", "--category", "A1"); code != 0 || !strings.Contains(out, "created block list known") {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	good := "hash_type,hash_value,category\nmd5,D41D8CD98F00B204E9800998ECF8427E,A1\nsha256," + strings.Repeat("ab", 32) + ",A2\n"
	bad := good + "pdq,nothex,A1\nmd5,d41d8cd98f00b204e9800998ecf8427e,A1\n"
	os.WriteFile(filepath.Join(in, "good.csv"), []byte(good), 0o600)
	os.WriteFile(filepath.Join(in, "bad.csv"), []byte(bad), 0o600)
	code, out, _ := loupe(t, dir, "", "hashlist", "import", "known", filepath.Join(in, "bad.csv"))
	if code != 1 || !strings.Contains(out, "line 4") || !strings.Contains(out, "line 5") {
		t.Fatalf("bad import: %d\n%s", code, out)
	}
	if _, out, _ := loupe(t, dir, "", "hashlist", "export", "known", "--format", "csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("a failed import changed the list:\n%s", out)
	}
	if code, out, _ := loupe(t, dir, "", "hashlist", "import", "known", filepath.Join(in, "good.csv"), "--dry-run"); code != 0 || !strings.Contains(out, "2 accepted") {
		t.Errorf("dry run: %d\n%s", code, out)
	}
	if _, out, _ := loupe(t, dir, "", "hashlist", "export", "known", "--format", "csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("a dry run changed the list:\n%s", out)
	}
	if code, out, _ := loupe(t, dir, "", "hashlist", "import", "known", filepath.Join(in, "good.csv")); code != 0 || !strings.Contains(out, "imported 2") {
		t.Fatalf("import: %d\n%s", code, out)
	}
	_, out, _ = loupe(t, dir, "", "hashlist", "export", "known", "--format", "jsonl")
	if strings.Count(out, "\n") != 2 || !strings.Contains(out, "d41d8cd98f00b204e9800998ecf8427e") {
		t.Errorf("export:\n%s", out)
	}
	if _, out, _ := loupe(t, dir, "", "hashlist", "export", "known", "--format", "jsonl", "--since", "1"); out != "" {
		t.Errorf("nothing changed since version 1, yet:\n%s", out)
	}
	if code, _, errOut := loupe(t, dir, "", "hashlist", "import", "nope", filepath.Join(in, "good.csv")); code != 1 || !strings.Contains(errOut, "no hash list") {
		t.Errorf("unknown list: %d %q", code, errOut)
	}
}
