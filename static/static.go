// Package static embeds Loupe's CSS, JavaScript and icon and serves them under
// content-hashed URLs, so browsers may cache them forever and a new release
// is fetched at once. Nothing is loaded from a CDN: Loupe works air-gapped.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Assets maps each embedded file to its content-hashed URL.
type Assets struct {
	byName map[string]string // "css/loupe.css" -> "/static/css/loupe.3f2a9c1b.css"
	byURL  map[string][]byte
}

// New hashes every embedded file.
func New() *Assets {
	a := &Assets{byName: map[string]string{}, byURL: map[string][]byte{}}
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byName[name], a.byURL[url] = url, b
		return nil
	})
	return a
}

// File returns an embedded file's bytes by name, for the few served at a
// fixed address (the /favicon.ico browsers ask for).
func (a *Assets) File(name string) []byte { return a.byURL[a.byName[name]] }

// URL returns the hashed URL of an embedded file such as "css/loupe.css".
// An unknown name returns "" so a typo shows up as a missing asset in tests.
func (a *Assets) URL(name string) string { return a.byName[name] }

// ServeHTTP serves a file by its hashed URL.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}
