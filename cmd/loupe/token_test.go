package main

import (
	"strings"
	"testing"
)

// TestTokenAddBindsListScopeToID: a partner token names its list by name on
// the command line and is bound to the list's id, which the output gives.
func TestTokenAddBindsListScopeToID(t *testing.T) {
	dir := t.TempDir()
	loupe(t, dir, "", "hashlist", "create", "other")
	loupe(t, dir, "", "hashlist", "create", "known")
	code, out, errOut := loupe(t, dir, "", "token", "add", "--name", "partner", "--source", "acme", "--scope", "hashlist:known")
	if code != 0 || !strings.Contains(out, "GET /api/v1/hashlists/2/export") {
		t.Fatalf("token add: %d %q %q", code, out, errOut)
	}
	if _, out, _ := loupe(t, dir, "", "token", "list"); !regexpMatch(`partner\s+acme\s+hashlist:2 \(known\)`, out) {
		t.Errorf("token list:\n%s", out)
	}
	for _, scope := range []string{"hashlist:nope", "hashlist:"} {
		if code, _, errOut := loupe(t, dir, "", "token", "add", "--name", "p2", "--source", "acme", "--scope", scope); code != 1 || !strings.Contains(errOut, "no hash list named") {
			t.Errorf("--scope %s: exit %d %q", scope, code, errOut)
		}
	}
	if code, _, errOut := loupe(t, dir, "", "token", "add", "--name", "p2", "--source", "acme", "--scope", "admin"); code != 2 || !strings.Contains(errOut, "--scope must be") {
		t.Errorf("--scope admin: exit %d %q", code, errOut)
	}
}
