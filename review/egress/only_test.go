package egress

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// outboundClient matches the ways Go code makes an HTTP client or opens a
// connection of its own.
var outboundClient = regexp.MustCompile(`http\.Client\{|http\.DefaultClient|http\.DefaultTransport|http\.Transport\{|http\.(Get|Post|Head|PostForm)\(|net\.Dial|net\.Dialer\{`)

// loadGenerators are the benchmark commands: clients of the Loupe they
// start themselves on loopback, never of a destination someone typed in.
var loadGenerators = regexp.MustCompile(`^cmd/loupe/bench_[a-z_]+\.go$`)

// Every outbound request goes through Policy.Client: a client built any
// other way would reach internal addresses and follow redirects.
func TestPolicyClientIsTheOnlyOutboundClient(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && path != root && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case d.IsDir(), !strings.HasSuffix(rel, ".go"), strings.HasSuffix(rel, "_test.go"),
			strings.HasPrefix(rel, "review/egress/"), loadGenerators.MatchString(rel):
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if outboundClient.MatchString(line) {
				t.Errorf("%s:%d makes its own outbound client; use egress.Policy.Client: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
