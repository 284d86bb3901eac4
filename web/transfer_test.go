package web

import (
	"encoding/binary"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// multipartBody is a multipart form with a file part of size bytes,
// generated as it is read; its length is given when known is set.
func multipartBody(fields map[string]string, size int64) (string, io.Reader, int64) {
	var head strings.Builder
	mw := multipart.NewWriter(&head)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.CreateFormFile("upload", "big.bin")
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	n := int64(head.Len()) + size + int64(len(tail))
	return mw.FormDataContentType(), io.MultiReader(strings.NewReader(head.String()), io.LimitReader(zeros{}, size), strings.NewReader(tail)), n
}

// watchDir records every name that appears in dir until stop is called.
func watchDir(t *testing.T, dir string) (stop func() []string) {
	seen := map[string]bool{}
	done, finished := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	look := func() {
		entries, _ := os.ReadDir(dir)
		mu.Lock()
		for _, e := range entries {
			seen[e.Name()] = true
		}
		mu.Unlock()
	}
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
				look()
			}
		}
	}()
	return func() []string {
		close(done)
		<-finished
		look()
		var names []string
		for n := range seen {
			names = append(names, n)
		}
		return names
	}
}

// Form bodies are capped and multipart is refused where a form takes no
// files, before anything is parsed: one unauthenticated sign-in used to
// write 1.37 GB to the temporary directory before its 401.
func TestFormBodiesAreCappedBeforeParsing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where mime/multipart spills file parts
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	ac, csrf := h.signIn(admin)
	stop := watchDir(t, tmp)

	post := func(c *client, path, contentType string, body io.Reader, length int64) response {
		req, _ := http.NewRequest("POST", h.ts.URL+path, body)
		req.Header.Set("Content-Type", contentType)
		req.ContentLength = length // 0: unknown, sent chunked
		return c.do(req)
	}
	signIn := map[string]string{"email": admin.Email, "password": testPassword}
	cases := []struct {
		name   string
		send   func() response
		status int
		says   string
	}{
		{"10 MB multipart sign-in", func() response {
			ct, body, n := multipartBody(signIn, 10<<20)
			return post(h.client(), "/signin", ct, body, n)
		}, http.StatusRequestEntityTooLarge, "at most 65536"},
		{"40 MB multipart sign-in, length unknown", func() response {
			ct, body, _ := multipartBody(signIn, 40<<20)
			return post(h.client(), "/signin", ct, body, 0)
		}, http.StatusUnsupportedMediaType, "takes no files"},
		{"10 MB form sign-in, length unknown", func() response {
			body := io.MultiReader(strings.NewReader("email=a%40b.c&password="), io.LimitReader(zeros{}, 10<<20))
			return post(h.client(), "/signin", "application/x-www-form-urlencoded", body, 0)
		}, http.StatusRequestEntityTooLarge, "larger than 65536"},
		{"small multipart sign-in", func() response {
			ct, body, n := multipartBody(signIn, 10)
			return post(h.client(), "/signin", ct, body, n)
		}, http.StatusUnsupportedMediaType, "takes no files"},
		{"multipart form when signed in", func() response {
			ct, body, n := multipartBody(map[string]string{"csrf": csrf, "name": "x"}, 10)
			return post(ac, "/queues", ct, body, n)
		}, http.StatusUnsupportedMediaType, "takes no files"},
		{"40 MB image search, length unknown", func() response {
			ct, body, _ := multipartBody(map[string]string{"csrf": csrf}, 40<<20)
			return post(ac, "/hashlists/search", ct, body, 0)
		}, http.StatusRequestEntityTooLarge, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			if res.StatusCode != tc.status || !strings.Contains(res.testid("error")+res.body, tc.says) {
				t.Errorf("got %d %q, want %d saying %q", res.StatusCode, res.testid("error"), tc.status, tc.says)
			}
		})
	}
	if names := stop(); len(names) != 0 {
		t.Errorf("refused requests wrote %v to the temporary directory", names)
	}
	// An ordinary sign-in still works.
	if res := h.client().post("/signin", url.Values{"email": {admin.Email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in: %d", res.StatusCode)
	}
}

// The image search takes a file up to the ingest file limit, in memory.
func TestImageSearchBodyLimit(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h := newHarness(t)
	h.srv.cfg.Limits.MaxFileBytes = 1 << 20
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	c, csrf := h.signIn(lead)
	stop := watchDir(t, tmp)
	search := func(img []byte) response {
		ct, body := itemForm(t, part{name: "csrf", body: []byte(csrf)}, part{name: "image", file: "q.png", body: img})
		req, _ := http.NewRequest("POST", h.ts.URL+"/hashlists/search", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", ct)
		return c.do(req)
	}
	if res := search(testImage(64, 64, 1)); res.StatusCode != http.StatusOK {
		t.Errorf("a small image: %d %s", res.StatusCode, res.testid("error"))
	}
	if res := search(make([]byte, 2<<20)); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("an image over the file limit: %d", res.StatusCode)
	}
	res := search(pngHeaderOf(7000, 7000, 16, 6))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.testid("error"), "would decode to more than 200 MB") {
		t.Errorf("a 16-bit bomb: %d %q", res.StatusCode, res.testid("error"))
	}
	if names := stop(); len(names) != 0 {
		t.Errorf("the search wrote %v to the temporary directory", names)
	}
}

// pngHeaderOf is pngHeader with a chosen bit depth and colour type.
func pngHeaderOf(w, h uint32, depth, colourType byte) []byte {
	b := pngHeader(w, h)
	b[24], b[25] = depth, colourType
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}
