package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// testImage is a small harmless PNG: a gradient with a square on it, and
// dark cells of a 4x4 grid that the seed picks, so that images of
// different seeds are not near-duplicates of each other (which would
// cluster them).
func testImage(w, h int, seed uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cells := uint32(seed)*2654435761 + 12345
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x*255/w) ^ seed, uint8(y * 255 / h), seed, 255})
			if cell := (y*4/h)*4 + x*4/w; cells>>cell&1 == 1 {
				img.Set(x, y, color.RGBA{40, 40, 40, 255})
			}
		}
	}
	for y := h / 4; y < h/2; y++ {
		for x := w / 4; x < w/2; x++ {
			img.Set(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// part is one multipart part of an ingest request.
type part struct {
	name, file string
	body       []byte
}

func itemForm(t *testing.T, parts ...part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.file != "" {
			w, err = mw.CreateFormFile(p.name, p.file)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.body)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// apiToken makes an ingest token for source and returns it.
func (h *harness) apiToken(name, source string) string {
	h.t.Helper()
	_, raw, err := review.NewToken(context.Background(), h.db, h.srv.random, "test", name, source, review.ScopeIngest)
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

type apiResponse struct {
	status int
	item   itemJSON
	err    apiError
	header http.Header
}

func (h *harness) api(method, path, token, contentType string, body []byte) apiResponse {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.ts.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := apiResponse{status: res.StatusCode, header: res.Header}
	if res.StatusCode < 300 {
		if err := json.Unmarshal(b, &out.item); err != nil {
			h.t.Fatalf("decode %s: %v", b, err)
		}
	} else if err := json.Unmarshal(b, &out.err); err != nil {
		h.t.Fatalf("error body is not JSON: %s", b)
	}
	return out
}

func (h *harness) ingest(token string, parts ...part) apiResponse {
	h.t.Helper()
	ct, body := itemForm(h.t, parts...)
	return h.api("POST", "/api/v1/items", token, ct, body)
}

func meta(externalID string, extra string) part {
	return part{name: "metadata", body: []byte(fmt.Sprintf(`{"external_id":%q%s}`, externalID, extra))}
}

func media(b []byte) part { return part{name: "media", file: "upload.png", body: b} }

func TestIngestCreatesItem(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	img := testImage(64, 48, 1)
	res := h.ingest(token, meta("p-1", `,"classifier":{"name":"c","scores":{"csam":0.4}},"priority":70`), media(img), media(testImage(32, 32, 2)))
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %+v", res.status, res.err)
	}
	sum := sha256.Sum256(img)
	m := res.item.Media
	if res.item.Status != "queued" || res.item.Queue != "default" || res.item.Priority != 70 || len(m) != 2 ||
		m[0].SHA256 != hex.EncodeToString(sum[:]) || m[0].Width != 64 || m[0].Height != 48 || m[0].ContentType != "image/png" || len(m[0].PDQ) != 64 || len(m[0].MD5) != 32 {
		t.Errorf("response %+v", res.item)
	}
	again := h.ingest(token, meta("p-1", ""), media(testImage(10, 10, 9)))
	if again.status != http.StatusOK || again.item.ID != res.item.ID || again.item.Media[0].SHA256 != m[0].SHA256 {
		t.Errorf("same external id again: %d %+v", again.status, again.item)
	}
	got := h.api("GET", fmt.Sprintf("/api/v1/items/%d", res.item.ID), token, "", nil)
	if got.status != 200 || got.item.ExternalID != "p-1" || got.item.Status != "queued" {
		t.Errorf("GET item: %d %+v", got.status, got.item)
	}
	other := h.apiToken("other", "chat")
	if res := h.api("GET", fmt.Sprintf("/api/v1/items/%d", res.item.ID), other, "", nil); res.status != http.StatusNotFound {
		t.Errorf("another source read the item: %d", res.status)
	}
	// The same external id from another source is another item.
	if res := h.ingest(other, meta("p-1", ""), media(img)); res.status != http.StatusCreated || res.item.ID == got.item.ID {
		t.Errorf("other source, same external id: %d", res.status)
	}
	entries, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionItemIngested})
	if len(entries) != 2 {
		t.Errorf("%d ingest audit entries, want 2", len(entries))
	}
}

func TestIngestRefusals(t *testing.T) {
	h := newHarness(t)
	h.srv.cfg.Limits = review.IngestLimits{MaxFileBytes: 20 << 10, MaxPixels: 100 * 100}
	h.srv.ingester.Limits = h.srv.cfg.Limits
	h.srv.cfg.MaxRequestBytes = 64 << 10
	token := h.apiToken("scanner", "photos")
	revoked := h.apiToken("old", "photos")
	h.db.RevokeToken(context.Background(), "old", review.AuditEvent{Action: "test"})
	small := testImage(20, 20, 3)
	bomb := pngHeader(100000, 100000)
	cases := []struct {
		name   string
		token  string
		parts  []part
		status int
		field  string
	}{
		{"no token", "", []part{meta("a", ""), media(small)}, 401, ""},
		{"wrong token", "loupe_nope", []part{meta("a", ""), media(small)}, 401, ""},
		{"revoked token", revoked, []part{meta("a", ""), media(small)}, 401, ""},
		{"malformed json", token, []part{{name: "metadata", body: []byte(`{"external_id":`)}, media(small)}, 400, "metadata"},
		{"missing external id", token, []part{{name: "metadata", body: []byte(`{}`)}, media(small)}, 400, "external_id"},
		{"unknown field", token, []part{meta("a", `,"prority":3`), media(small)}, 400, "prority"},
		{"no metadata", token, []part{media(small)}, 400, "metadata"},
		{"no media", token, []part{meta("a", "")}, 400, "media"},
		{"terminal escapes in a name", token, []part{meta("a", `,"uploader":{"display_name":"\u001b[2J\u001b[Hforged\r\n"}`), media(small)}, 400, "uploader.display_name"},
		{"right-to-left override in an id", token, []part{meta("photo\u202egnp.exe", ""), media(small)}, 400, "external_id"},
		{"more media metadata than media", token, []part{meta("a", `,"media":[{},{"upload_ip":"192.0.2.1"}]`), media(small)}, 400, "media"},
		{"unknown part", token, []part{meta("a", ""), {name: "file", body: small}}, 400, "file"},
		{"file over limit", token, []part{meta("a", ""), media(bytes.Repeat([]byte{1}, 21<<10))}, 413, ""},
		{"request over limit", token, []part{meta("a", ""), media(small), media(bytes.Repeat([]byte{1}, 19<<10)), media(bytes.Repeat([]byte{1}, 19<<10)), media(bytes.Repeat([]byte{1}, 19<<10)), media(bytes.Repeat([]byte{1}, 19<<10))}, 413, ""},
		{"not an image", token, []part{meta("a", ""), {name: "media", file: "x.png", body: []byte("%PDF-1.4 not an image")}}, 415, ""},
		{"truncated image", token, []part{meta("a", ""), media(small[:len(small)/2])}, 415, ""},
		{"too many pixels", token, []part{meta("a", ""), media(bomb)}, 422, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.ingest(tc.token, tc.parts...)
			if res.status != tc.status || res.err.Error == "" || (tc.field != "" && res.err.Field != tc.field) {
				t.Errorf("got %d %+v, want %d field %q", res.status, res.err, tc.status, tc.field)
			}
		})
	}
	if res := h.api("POST", "/api/v1/items", token, "application/json", []byte(`{}`)); res.status != 400 {
		t.Errorf("JSON body: %d", res.status)
	}
	if _, err := h.db.FindItemByExternalID(context.Background(), 1, "a"); err == nil {
		t.Error("a refused request stored an item")
	}
	assertNoVaultFiles(t, h)
}

// pngHeader is the start of a PNG claiming w x h pixels: enough for the
// header check, and a decompression bomb if anything decoded it.
func pngHeader(w, h uint32) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	b[16], b[17], b[18], b[19] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	b[20], b[21], b[22], b[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29])) // the IHDR checksum
	return b
}

func assertNoVaultFiles(t *testing.T, h *harness) {
	t.Helper()
	n := 0
	filepath.Walk(h.mediaDir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return nil
	})
	if n != 0 {
		t.Errorf("%d files left in the vault by refused requests", n)
	}
}

func TestIngestLowDiskAnswers503(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	h.srv.free = func() (uint64, error) { return 10 << 20, nil }
	res := h.ingest(token, meta("a", ""), media(testImage(8, 8, 1)))
	if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
		t.Errorf("low disk: %d %+v", res.status, res.err)
	}
}

func TestIngestRoutesByRules(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.apiToken("scanner", "photos")
	queue := h.addQueue("urgent")
	p := 95
	yes := true
	if _, err := h.db.CreateRule(ctx, review.Rule{Name: "high public", Conditions: review.Conditions{Scores: map[string]float64{"csam": 0.9}, Public: &yes}, QueueID: queue, Priority: &p, Enabled: true}, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	hit := h.ingest(token, meta("hit", `,"classifier":{"scores":{"csam":0.95}},"context":{"public":true}`), media(testImage(8, 8, 1)))
	miss := h.ingest(token, meta("miss", `,"classifier":{"scores":{"csam":0.95}},"context":{"public":false}`), media(testImage(8, 8, 2)))
	if hit.item.Queue != "urgent" || hit.item.Priority != 95 || miss.item.Queue != "default" || miss.item.Priority != review.DefaultPriority {
		t.Errorf("hit %s/%d, miss %s/%d", hit.item.Queue, hit.item.Priority, miss.item.Queue, miss.item.Priority)
	}
}

func TestNoFileHoldsMediaInTheClear(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	img := testImage(200, 150, 7)
	res := h.ingest(token, meta("clear", ""), media(img))
	if res.status != http.StatusCreated {
		t.Fatal(res.err)
	}
	preview := h.object(res.item.Media[0].ID, review.KindPreview)
	grey, err := h.srv.ingester.GreyRendition(t.Context(), res.item.Media[0].toMedia()) // rendered on first use
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(h.object(res.item.Media[0].ID, review.KindOriginal), img) {
		t.Fatal("the original does not decrypt to the bytes sent")
	}
	filepath.Walk(filepath.Dir(h.mediaDir), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		for name, needle := range map[string][]byte{"original": img[100:400], "preview": preview[len(preview)/2 : len(preview)/2+200], "grey": grey[len(grey)/2 : len(grey)/2+200]} {
			if bytes.Contains(b, needle) {
				t.Errorf("%s holds the %s in the clear", path, name)
			}
		}
		return nil
	})
}

func (m mediaJSON) toMedia() review.Media { return review.Media{ID: m.ID} }

func TestAPIRoutesAreNotCookieReachable(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, _ := h.signIn(p)
	res := c.get("/api/v1/items/1")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Errorf("signed-in browser on the API: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
