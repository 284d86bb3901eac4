package web

import (
	"net/http"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/loupe-review/loupe/review"
)

// A session cookie written before the session codec (gob, securecookie's
// default) still signs its person in, and one written now is still
// encrypted and signed with the same keys: a cookie made with other keys
// is no session.
func TestSessionCookiesOfEitherFormatSignIn(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("cookie@example.org", true, review.RoleReviewer)
	gob := securecookie.New(h.cfg.CookieKeys[0], h.cfg.CookieKeys[1])
	other := securecookie.New(securecookie.GenerateRandomKey(32), securecookie.GenerateRandomKey(32))
	useSessionCodec([]securecookie.Codec{other})
	for _, tc := range []struct {
		name   string
		codecs []securecookie.Codec
		home   int
	}{
		{"gob, from before", []securecookie.Codec{gob}, http.StatusOK},
		{"compact", h.srv.cookies.Codecs, http.StatusOK},
		{"compact, other keys", []securecookie.Codec{other}, http.StatusSeeOther},
	} {
		c, _ := h.sessionIn(p, review.StageFull, tc.codecs...)
		res := c.get("/")
		if res.StatusCode != tc.home {
			t.Errorf("%s: home %d (%s), want %d", tc.name, res.StatusCode, res.Header.Get("Location"), tc.home)
		}
	}
}
