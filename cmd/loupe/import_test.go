package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportIsValidatedIdempotentAndResumable(t *testing.T) {
	data, in := t.TempDir(), t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"a.jpg", "b.png"} {
		var b []byte
		if strings.HasSuffix(name, "jpg") {
			b = encodeJPEG(synthImage(1, 64, 64, rng), 80)
		} else {
			b = encodePNG(synthImage(2, 64, 64, rng))
		}
		os.WriteFile(filepath.Join(in, name), b, 0o600)
	}
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("not an image"), 0o600)
	lines := []string{
		`{"external_id":"i-1","media":["a.jpg"],"priority":80}`,
		`{"external_id":"i-2","media":["a.jpg","b.png"],"classifier":{"scores":{"csam":0.2}}}`,
		`not json`,
		`{"external_id":"i-3","media":["missing.jpg"]}`,
		`{"external_id":"i-4","media":["b.png"],"prioritee":1}`,
		``,
		`{"external_id":"i-5","media":["notes.txt"]}`,
		`{"external_id":"i-6","media":["b.png"]}`,
	}
	file := filepath.Join(in, "items.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600)

	code, out, _ := loupe(t, data, "", "import", "--source", "photos", "--quiet", file)
	if code != 1 || !strings.Contains(out, "accepted 3, already present 0, rejected 4") {
		t.Fatalf("first run: exit %d\n%s", code, out)
	}
	for _, want := range []string{"line 3: line:", "line 4: media: cannot read", "line 5: prioritee: unknown field", "line 7: media[0] is not a decodable"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = loupe(t, data, "", "import", "--source", "photos", "--quiet", file)
	if code != 1 || !strings.Contains(out, "accepted 0, already present 3, rejected 4") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	if code, _, errOut := loupe(t, data, "", "import", "--source", "photos", filepath.Join(in, "none.jsonl")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: %d %q", code, errOut)
	}
	if code, _, _ := loupe(t, data, "", "import", file); code != 2 {
		t.Errorf("no --source: exit %d, want 2", code)
	}
}
