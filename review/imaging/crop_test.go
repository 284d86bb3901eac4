package imaging

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// spotlit is a synthetic scene with a saturated red box at (100,100)-(200,150).
func spotlit(w, h int) *image.RGBA {
	m := detailed(w, h, 11)
	draw.Draw(m, image.Rect(100, 100, 200, 150), image.NewUniform(color.RGBA{220, 20, 30, 255}), image.Point{}, draw.Src)
	return m
}

func TestCrop(t *testing.T) {
	scene := spotlit(600, 400)
	tests := []struct {
		name   string
		img    image.Image
		r      image.Rectangle
		colour bool
		want   image.Point
		err    error
	}{
		{"colour box", scene, image.Rect(100, 100, 200, 150), true, image.Pt(100, 50), nil},
		{"grey box", scene, image.Rect(100, 100, 200, 150), false, image.Pt(100, 50), nil},
		{"reversed corners", scene, image.Rect(200, 150, 100, 100), true, image.Pt(100, 50), nil},
		{"clamped top left", scene, image.Rect(-50, -50, 100, 100), false, image.Pt(100, 100), nil},
		{"clamped bottom right", scene, image.Rect(550, 390, 9999, 9999), true, image.Pt(50, 10), nil},
		{"whole big image", detailed(3000, 2000, 1), image.Rect(0, 0, 3000, 2000), true, image.Pt(1024, 683), nil},
		{"tall region of big image", sharp(3000, 3000), image.Rect(0, 0, 100, 3000), false, image.Pt(34, 1024), nil},
		{"outside", scene, image.Rect(700, 0, 800, 10), true, image.Point{}, ErrEmpty},
		{"zero width", scene, image.Rect(10, 10, 10, 20), false, image.Point{}, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Crop(tt.img, tt.r, tt.colour)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			dec := decodeJPEG(t, out)
			if got := dec.Bounds().Size(); got != tt.want {
				t.Errorf("size %v, want %v", got, tt.want)
			}
			if !tt.colour {
				assertGrey(t, dec)
			}
		})
	}
}

// The crop shows the requested region: the red box, in colour or as its luma.
func TestCropContent(t *testing.T) {
	img, _, err := Decode(jpegOf(t, spotlit(600, 400), 95), Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	box := image.Rect(110, 110, 190, 140) // inside the red box, away from JPEG ringing
	out, err := Crop(img, box, true)
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := decodeJPEG(t, out).At(40, 15).RGBA()
	if r>>8 < 180 || g>>8 > 70 || b>>8 > 80 {
		t.Errorf("colour crop centre is (%d,%d,%d), want red", r>>8, g>>8, b>>8)
	}
	out, err = Crop(img, box, false)
	if err != nil {
		t.Fatal(err)
	}
	want := int(y8(220, 20, 30))
	if got := int(luma(decodeJPEG(t, out)).GrayAt(40, 15).Y); got < want-8 || got > want+8 {
		t.Errorf("grey crop centre is %d, want about %d (the red's luma)", got, want)
	}
}
