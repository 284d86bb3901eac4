package review

import (
	"errors"
	"image"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestSpotlightIsRefusedBeyondTheCap(t *testing.T) {
	cases := []struct {
		name    string
		percent int
		region  image.Rectangle
		want    image.Rectangle // empty: refused
		problem string
	}{
		{"the whole image and more", 0, image.Rect(0, 0, 6400, 4800), image.Rectangle{}, "at most 25% of the image; this one would show 100%"},
		{"a quarter", 0, image.Rect(0, 0, 20, 15), image.Rect(0, 0, 20, 15), ""},
		{"a quarter, dragged backwards", 0, image.Rect(20, 15, 0, 0), image.Rect(0, 0, 20, 15), ""},
		{"one row over a quarter", 0, image.Rect(0, 0, 20, 16), image.Rectangle{}, "at most 25%"},
		{"clamped to the image first", 0, image.Rect(30, 20, 60, 60), image.Rect(30, 20, 40, 30), ""},
		{"a half where the queue allows it", 50, image.Rect(0, 0, 40, 15), image.Rect(0, 0, 40, 15), ""},
		{"a sliver", 0, image.Rect(0, 0, 3, 20), image.Rectangle{}, "drag a rectangle"},
		{"outside the image", 0, image.Rect(100, 100, 120, 120), image.Rectangle{}, "drag a rectangle"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := RevealPolicy{SpotlightMaxPercent: tc.percent}
			got, share, err := p.Spotlight(tc.region, 40, 30)
			var v *ValidationError
			switch {
			case tc.problem == "" && (err != nil || got != tc.want || share != float64(tc.want.Dx()*tc.want.Dy())/1200):
				t.Errorf("got %v (%.3f), %v; want %v", got, share, err, tc.want)
			case tc.problem != "" && (!errors.As(err, &v) || v.Field() != "region" || !strings.Contains(v.Message(), tc.problem)):
				t.Errorf("err = %v, want a region problem saying %q", err, tc.problem)
			}
		})
	}
}

func TestSpotlightColourFollowsTheQueue(t *testing.T) {
	if (RevealPolicy{Steps: []string{StepGrey, StepSpotlight}}).SpotlightColour() {
		t.Error("a queue without colour crops spotlights in colour")
	}
	if !DefaultPolicy.SpotlightColour() {
		t.Error("a queue with colour crops spotlights in grey")
	}
}

func TestQueueValidatesTheSpotlightCap(t *testing.T) {
	for percent, ok := range map[int]bool{0: true, 1: true, 25: true, 50: true, 51: false, -1: false} {
		q := NewQueue("q")
		q.Policy.SpotlightMaxPercent = percent
		var v *ValidationError
		if err := q.Validate(); ok != (err == nil) || !ok && (!errors.As(err, &v) || v.Field() != "spotlight_max_percent") {
			t.Errorf("%d%%: %v", percent, err)
		}
	}
}

func spot(media string, r image.Rectangle) Exposure {
	return Exposure{MediaID: media, Rendition: StepSpotlight, Region: r}
}

func TestSpotlightCoverageIsTheUnionOfRegions(t *testing.T) {
	q := func(x, y int) image.Rectangle { return image.Rect(x*20, y*15, x*20+20, y*15+15) } // quadrants of 40x30
	cases := []struct {
		name      string
		exposures []Exposure
		want      float64
	}{
		{"none", nil, 0},
		{"one quarter", []Exposure{spot("m", q(0, 0))}, 0.25},
		{"the same quarter twice", []Exposure{spot("m", q(0, 0)), spot("m", q(0, 0))}, 0.25},
		{"two quarters", []Exposure{spot("m", q(0, 0)), spot("m", q(1, 1))}, 0.5},
		{"three quarters", []Exposure{spot("m", q(0, 0)), spot("m", q(1, 0)), spot("m", q(0, 1))}, 0.75},
		{"overlapping", []Exposure{spot("m", image.Rect(0, 0, 20, 30)), spot("m", image.Rect(10, 0, 30, 30))}, 0.75},
		{"other media and steps ignored", []Exposure{spot("other", q(0, 0)), {MediaID: "m", Rendition: StepColour}, spot("m", q(1, 1))}, 0.25},
	}
	for _, tc := range cases {
		if got := SpotlightCoverage(tc.exposures, "m", 40, 30); got != tc.want {
			t.Errorf("%s: coverage %.3f, want %.3f", tc.name, got, tc.want)
		}
	}
}

// TestUnionAreaMatchesCountingPixels checks the sweep against counting
// covered pixels one by one, on random rectangles.
func TestUnionAreaMatchesCountingPixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var rects []image.Rectangle
		for range 1 + rng.IntN(8) {
			x, y := rng.IntN(50), rng.IntN(50)
			rects = append(rects, image.Rect(x, y, x+rng.IntN(20), y+rng.IntN(20)))
		}
		var want int64
		for y := range 70 {
			for x := range 70 {
				for _, r := range rects {
					if image.Pt(x, y).In(r) {
						want++
						break
					}
				}
			}
		}
		if got := unionArea(rects); got != want {
			t.Fatalf("round %d: union of %v is %d, counted %d", round, rects, got, want)
		}
	}
}

// TestSpotlightsThatShowMostOfAFileAreAView: the report's viewed flag
// counts spotlights by anyone whose union shows more than half the image.
func TestSpotlightsThatShowMostOfAFileAreAView(t *testing.T) {
	q := func(x, y int) image.Rectangle { return image.Rect(x*20, y*15, x*20+20, y*15+15) }
	it := Item{ID: 1, Media: []Media{{ID: "half", Width: 40, Height: 30}, {ID: "most", Width: 40, Height: 30}}}
	byOne, byOther := spot("most", q(0, 0)), spot("most", q(1, 0))
	byOne.ReviewerID, byOther.ReviewerID = 1, 2
	ev := CaseEvidence{Items: []Item{it}, Exposures: map[int64][]Exposure{1: {
		spot("half", q(0, 0)), spot("half", q(1, 1)),
		byOne, byOther, spot("most", image.Rect(0, 15, 2, 30)),
	}}}
	rep := BuildCaseReport(Case{}, nil, ev, it.ReceivedAt)
	if f := rep.Files[0]; f.Viewed || f.Coverage != 0.5 || rep.Input.Files[0].ViewedByESP {
		t.Errorf("half the image in spotlights: viewed %t (coverage %.2f), want not a view", f.Viewed, f.Coverage)
	}
	if f := rep.Files[1]; !f.Viewed || !rep.Input.Files[1].ViewedByESP {
		t.Errorf("just over half the image in two people's spotlights: viewed %t (coverage %.3f), want a view", f.Viewed, f.Coverage)
	}
}
