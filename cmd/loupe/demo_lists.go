package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // demo uploads are JPEG
	_ "image/png"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/pdq"
)

// demoBlocked are the demo items whose first image the block list holds:
// by MD5 (exact copies) and by PDQ (near copies), so the match columns,
// the item page and the routing of hash matches can be tried at once.
var demoBlocked = []struct {
	item int
	kind hashlist.HashType
}{{5, hashlist.MD5}, {11, hashlist.MD5}, {17, hashlist.PDQ}}

// demoAllowed is the item whose image the allow list holds (a picture the
// platform knows to be harmless).
const demoAllowed = 23

// demoSupport is what reviewers are offered on their wellbeing and break
// pages: made-up services at reserved example addresses.
const demoSupport = `Employee assistance programme (24 h, confidential) | tel:+353 1 555 0100
Peer support channel | https://support.example/peers
Book a session with the team counsellor | mailto:counsellor@demo.example`

// seedDemoLists creates a block list and an allow list from the demo's own
// synthetic images, before they are ingested, and the support resources.
func seedDemoLists(ctx context.Context, a *app, uploads [][]review.Upload) error {
	entry := func(n int, kind hashlist.HashType) (hashlist.Row, error) {
		b := uploads[n-1][0].Bytes
		e := hashlist.Entry{Type: kind, Category: "other"}
		switch kind {
		case hashlist.MD5:
			sum := md5.Sum(b)
			e.Value = hex.EncodeToString(sum[:])
		default:
			img, _, err := image.Decode(bytes.NewReader(b))
			if err != nil {
				return hashlist.Row{}, fmt.Errorf("demo item %d: %w", n, err)
			}
			e.Value = pdq.DihedralFromImage(img)[0].Hash.String()
		}
		return hashlist.Row{Line: n, Entry: e}, nil
	}
	lists := []struct {
		list  review.HashList
		items []int
		kinds []hashlist.HashType
	}{
		{review.HashList{Name: "demo-known", Kind: "block", Category: "other", Threshold: review.DefaultThreshold, Enabled: true}, nil, nil},
		{review.HashList{Name: "demo-harmless", Kind: "allow", Category: "demo", Threshold: review.DefaultThreshold, Enabled: true}, []int{demoAllowed}, []hashlist.HashType{hashlist.MD5}},
	}
	for _, b := range demoBlocked {
		lists[0].items, lists[0].kinds = append(lists[0].items, b.item), append(lists[0].kinds, b.kind)
	}
	for _, l := range lists {
		created, err := a.hashes.Create(ctx, "demo", l.list)
		if err != nil {
			return err
		}
		var rows []hashlist.Row
		for i, n := range l.items {
			r, err := entry(n, l.kinds[i])
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		if _, err := a.hashes.Import(ctx, "demo", created, rows); err != nil {
			return err
		}
	}
	ev := review.AuditEvent{Actor: "demo", Action: review.ActionSettingsSaved, Target: "support resources"}
	return a.db.SaveSettings(ctx, map[string]string{review.SettingSupport: demoSupport}, ev)
}
