package imaging

import (
	"context"
	"image"
	"sync"
)

// Decoder decodes untrusted images within Limits and within a memory
// budget shared by every decode it runs: each decode first waits until the
// memory its header announces fits, so uploads arriving together cannot
// allocate more than the budget between them, however they are timed.
type Decoder struct {
	limits Limits
	budget budget
}

// NewDecoder returns a Decoder whose decodes use at most memory bytes at
// once, by the estimate inspect makes from each header.
func NewDecoder(l Limits, memory int64) *Decoder {
	return &Decoder{limits: l, budget: budget{size: memory}}
}

// Decode inspects b, waits until its memory fits the budget, and decodes
// it. Call release once the image and everything read from it are no
// longer needed; release is nil when err is not. An image that would need
// more than the whole budget waits for every other decode to finish and
// then runs alone.
func (d *Decoder) Decode(ctx context.Context, b []byte) (img image.Image, info Info, release func(), err error) {
	info, cost, err := inspect(b, d.limits)
	if err != nil {
		return nil, Info{}, nil, err
	}
	cost = min(cost, d.budget.size)
	if err := d.budget.acquire(ctx, cost); err != nil {
		return nil, Info{}, nil, err
	}
	if img, err = decodeInspected(b, info, d.limits); err != nil {
		d.budget.release(cost)
		return nil, Info{}, nil, err
	}
	var once sync.Once
	return img, info, func() { once.Do(func() { d.budget.release(cost) }) }, nil
}
