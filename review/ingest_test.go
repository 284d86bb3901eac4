package review_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/storage/vault"
)

type ingestFixture struct {
	in     *review.Ingester
	db     *storage.DB
	vault  *vault.Vault
	caller review.APIToken
}

func newIngester(t testing.TB) ingestFixture {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(context.Background(), filepath.Join(dir, "loupe.db"), time.Now, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v, err := vault.Open(filepath.Join(dir, "media"), bytes.Repeat([]byte{9}, 32), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	src, err := db.EnsureSource(context.Background(), "photos")
	if err != nil {
		t.Fatal(err)
	}
	in := &review.Ingester{Items: db, Rules: db, Queues: db, Vault: v, Limits: review.IngestLimits{MaxFileBytes: 1 << 20, MaxPixels: 1 << 20}, Random: rand.Reader}
	return ingestFixture{in: in, db: db, vault: v, caller: review.APIToken{Name: "t", SourceID: src.ID, Source: src.Name}}
}

func smallImages() [][]byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var p, j, g bytes.Buffer
	png.Encode(&p, img)
	jpeg.Encode(&j, img, nil)
	pal := image.NewPaletted(img.Bounds(), []color.Color{color.Black, color.White})
	gif.Encode(&g, pal, nil)
	return [][]byte{p.Bytes(), j.Bytes(), g.Bytes()}
}

func (f ingestFixture) objects(t testing.TB) int {
	n := 0
	if err := f.vault.Walk(context.Background(), func(string) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// FuzzIngest sends arbitrary metadata and media through the whole ingest
// path: it must never panic, and after every call the vault holds exactly
// the three objects of each stored media: a refused item leaves nothing.
func FuzzIngest(f *testing.F) {
	imgs := smallImages()
	for i, b := range imgs {
		f.Add([]byte(`{"external_id":"seed`+string(rune('a'+i))+`"}`), b)
	}
	f.Add([]byte(`{"external_id":"trunc"}`), imgs[0][:40])
	f.Add([]byte(`{"external_id":"x","priority":500}`), imgs[1])
	f.Add([]byte(`{`), []byte("GIF89a"))
	fx := newIngester(f)
	media := 0
	f.Fuzz(func(t *testing.T, meta, file []byte) {
		it, created, err := fx.in.Ingest(context.Background(), fx.caller, meta, []review.Upload{{Name: "f", Bytes: file}})
		if err == nil && created {
			media += len(it.Media)
			if len(it.Media) != 1 || it.Media[0].SHA256 == "" {
				t.Fatalf("created item without its media: %+v", it)
			}
		}
		var v *review.ValidationError
		if err != nil && !errors.As(err, &v) && !errors.Is(err, review.ErrUnsupportedMedia) && !errors.Is(err, review.ErrTooManyPixels) && !errors.Is(err, review.ErrTooLarge) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if got := fx.objects(t); got != media {
			t.Fatalf("vault holds %d files for %d stored media (one original each)", got, media)
		}
	})
}

func TestIngestStoresOriginalAndRenditions(t *testing.T) {
	fx := newIngester(t)
	ctx := context.Background()
	for i, b := range smallImages() {
		it, created, err := fx.in.Ingest(ctx, fx.caller, []byte(`{"external_id":"e`+string(rune('0'+i))+`"}`), []review.Upload{{Name: "../../etc/passwd", Bytes: b}})
		if err != nil || !created {
			t.Fatalf("image %d: %v", i, err)
		}
		m := it.Media[0]
		o, _ := fx.db.FindObject(ctx, m.ID, review.KindOriginal)
		orig, err := fx.vault.Get(ctx, review.ObjectID(m.ID, review.KindOriginal), o.Key)
		if err != nil || !bytes.Equal(orig, b) {
			t.Errorf("image %d: original not kept byte for byte: %v", i, err)
		}
		p, _ := fx.db.FindObject(ctx, m.ID, review.KindPreview)
		if preview, err := fx.vault.OpenObject(review.ObjectID(m.ID, review.KindPreview), p.Sealed, p.Key); err != nil || !bytes.HasPrefix(preview, []byte{0xff, 0xd8}) {
			t.Errorf("image %d: preview not sealed in the database: %v", i, err)
		}
		if m.FileName != "../../etc/passwd" || filepath.Base(review.ObjectID(m.ID, review.KindOriginal)) != review.ObjectID(m.ID, review.KindOriginal) {
			t.Errorf("file name handling: %q", m.FileName)
		}
	}
	if n := fx.objects(t); n != 3 {
		t.Errorf("%d vault files, want 3 (the original of each; previews are in the database)", n)
	}
}
