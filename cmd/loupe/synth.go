package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// synthImage draws a harmless picture for the demo and benchmarks: a
// gradient, a few shapes, and a caption such as "sample 17". Nothing else
// is ever used as demo content.
func synthImage(n, w, h int, rng *rand.Rand) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c1 := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
	c2 := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
	for y := range h {
		for x := range w {
			t := float64(x+y) / float64(w+h)
			img.SetRGBA(x, y, color.RGBA{lerp(c1.R, c2.R, t), lerp(c1.G, c2.G, t), lerp(c1.B, c2.B, t), 255})
		}
	}
	for range 3 + rng.IntN(5) {
		col := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
		cx, cy, r := rng.IntN(w), rng.IntN(h), 10+rng.IntN(max(11, min(w, h)/4))
		if rng.IntN(2) == 0 {
			draw.Draw(img, image.Rect(cx-r, cy-r, cx+r, cy+r), image.NewUniform(col), image.Point{}, draw.Src)
			continue
		}
		for y := max(0, cy-r); y < min(h, cy+r); y++ {
			for x := max(0, cx-r); x < min(w, cx+r); x++ {
				if math.Hypot(float64(x-cx), float64(y-cy)) < float64(r) {
					img.SetRGBA(x, y, col)
				}
			}
		}
	}
	caption(img, fmt.Sprintf("sample %d", n))
	return img
}

func lerp(a, b uint8, t float64) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t) }

// caption writes text large enough to read: the bitmap font drawn small,
// then scaled up by whole pixels.
func caption(img *image.RGBA, text string) {
	small := image.NewRGBA(image.Rect(0, 0, 7*len(text)+4, 17))
	draw.Draw(small, small.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13, Dot: fixed.P(2, 13)}
	d.DrawString(text)
	scale := max(1, img.Bounds().Dx()/(3*small.Bounds().Dx()))
	for y := range small.Bounds().Dy() * scale {
		for x := range small.Bounds().Dx() * scale {
			if x+8 < img.Bounds().Dx() && y+8 < img.Bounds().Dy() {
				img.Set(x+8, y+8, small.At(x/scale, y/scale))
			}
		}
	}
}

func encodeJPEG(img image.Image, quality int) []byte {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes()
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
