package review

import (
	"fmt"
	"image"
	"math"
	"slices"
)

// DefaultSpotlightPercent is the largest share of an image one spotlight
// may show when a queue sets none: a quarter.
const DefaultSpotlightPercent = 25

// MaxSpotlightPercent bounds the queue setting: a spotlight is a part of
// the image; a queue that wants more allows greyscale or colour.
const MaxSpotlightPercent = 50

// SpotlightPercent is the largest share of an image, in percent, that one
// spotlight of the queue may show.
func (p RevealPolicy) SpotlightPercent() int {
	if p.SpotlightMaxPercent == 0 {
		return DefaultSpotlightPercent
	}
	return p.SpotlightMaxPercent
}

// SpotlightColour reports whether spotlights are cropped in colour: only
// where the queue allows colour reveals; elsewhere they are greyscale, so a
// spotlight never shows more than the queue's other steps.
func (p RevealPolicy) SpotlightColour() bool { return p.Allows(StepColour) }

// Spotlight checks a requested spotlight region of a w x h image: it is
// clamped to the image, and refused (not shrunk) when it would show more
// than the queue's share. It returns the region and the share it shows.
func (p RevealPolicy) Spotlight(region image.Rectangle, w, h int) (image.Rectangle, float64, error) {
	region = region.Canon().Intersect(image.Rect(0, 0, w, h))
	if region.Dx() < 4 || region.Dy() < 4 {
		return image.Rectangle{}, 0, Invalid("region", "drag a rectangle over the part of the image to reveal")
	}
	area, whole := int64(region.Dx())*int64(region.Dy()), int64(w)*int64(h)
	if limit := p.SpotlightPercent(); area*100 > int64(limit)*whole {
		return image.Rectangle{}, 0, Invalid("region", fmt.Sprintf("a spotlight may show at most %d%% of the image; this one would show %d%%: drag a smaller rectangle", limit, (area*100+whole-1)/whole))
	}
	return region, float64(area) / float64(whole), nil
}

// ViewedCoverage is the share of an image beyond which spotlights count as
// a view of the file: "most" of it, more than half. With the default cap
// of a quarter, two spotlights side by side are not a view, a third is.
const ViewedCoverage = 0.5

// SpotlightCoverage is the share of a w x h media that the ledger's
// spotlights on it showed, by any reviewer: the area of the union of
// their regions, so overlapping spotlights count once.
func SpotlightCoverage(exposures []Exposure, mediaID string, w, h int) float64 {
	var rects []image.Rectangle
	for _, e := range exposures {
		if e.MediaID == mediaID && e.Rendition == StepSpotlight && !e.Region.Empty() {
			rects = append(rects, e.Region.Intersect(image.Rect(0, 0, w, h)))
		}
	}
	if len(rects) == 0 || w <= 0 || h <= 0 {
		return 0
	}
	return float64(unionArea(rects)) / (float64(w) * float64(h))
}

// unionArea sweeps the rectangles' x edges: within each vertical strip,
// the y intervals of the rectangles spanning it are merged and measured.
func unionArea(rects []image.Rectangle) int64 {
	var xs []int
	for _, r := range rects {
		xs = append(xs, r.Min.X, r.Max.X)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	var total int64
	spans := make([][2]int, 0, len(rects))
	for i := 0; i+1 < len(xs); i++ {
		x0, x1 := xs[i], xs[i+1]
		spans = spans[:0]
		for _, r := range rects {
			if !r.Empty() && r.Min.X <= x0 && r.Max.X >= x1 {
				spans = append(spans, [2]int{r.Min.Y, r.Max.Y})
			}
		}
		slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
		covered, end := 0, math.MinInt
		for _, s := range spans {
			if s[0] > end {
				covered += s[1] - s[0]
				end = s[1]
			} else if s[1] > end {
				covered += s[1] - end
				end = s[1]
			}
		}
		total += int64(x1-x0) * int64(covered)
	}
	return total
}
