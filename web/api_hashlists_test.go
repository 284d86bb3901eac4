package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
)

// TestPartnerTokenFollowsItsListThroughRenames is the attack of issue #14:
// a partner's token for one list, then the lists swap names. The token must
// still export its own list and never the other.
func TestPartnerTokenFollowsItsListThroughRenames(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	list := func(name, md5 string) review.HashList {
		l, err := h.srv.hashes.Create(ctx, "test", review.HashList{Name: name, Kind: "block", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		row := hashlist.Row{Line: 1, Entry: hashlist.Entry{Type: hashlist.MD5, Value: md5, Status: hashlist.Active}}
		if _, err := h.srv.hashes.Import(ctx, "test", l, []hashlist.Row{row}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	ownMD5, otherMD5 := strings.Repeat("a", 32), strings.Repeat("b", 32)
	own, other := list("alpha", ownMD5), list("beta", otherMD5)
	_, partner, err := review.NewToken(ctx, h.db, h.srv.random, "test", "partner", "partner", review.ListScope(own))
	if err != nil {
		t.Fatal(err)
	}
	rename := func(l review.HashList, name string) {
		l.Name = name
		if err := h.srv.hashes.Update(ctx, "test", l); err != nil {
			t.Fatal(err)
		}
	}
	rename(own, "gamma")
	rename(other, "alpha")

	export := func(key string) (int, string) {
		req, _ := http.NewRequest("GET", h.ts.URL+"/api/v1/hashlists/"+key+"/export?format=csv", nil)
		req.Header.Set("Authorization", "Bearer "+partner)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, key := range []string{"alpha", "beta", fmt.Sprint(other.ID)} {
		if code, body := export(key); code == http.StatusOK || strings.Contains(body, otherMD5) {
			t.Errorf("GET /api/v1/hashlists/%s/export with a token for list %d: %d\n%s", key, own.ID, code, body)
		}
	}
	if code, body := export(fmt.Sprint(own.ID)); code != http.StatusOK || !strings.Contains(body, ownMD5) {
		t.Errorf("the partner's own list, renamed: %d\n%s", code, body)
	}
}
