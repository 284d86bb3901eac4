package pdq

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFromReader(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "misc-images", "wee.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := FromReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if want := FromImage(decodeFile(t, "misc-images/wee.jpg")); got != want {
		t.Errorf("FromReader = %v, FromImage = %v", got, want)
	}
	if _, err := FromReader(&zeroReader{}); err == nil {
		t.Error("FromReader of non-image bytes: no error")
	}
}

type zeroReader struct{}

func (*zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
