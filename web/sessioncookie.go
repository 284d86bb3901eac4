package web

import (
	"fmt"

	"github.com/gorilla/securecookie"
)

// sessionCodec serializes the session cookie's one value, the session id,
// inside securecookie's encryption and MAC. securecookie's default, gob,
// compiled a decoder for the cookie of every request: more of a server's
// CPU than the request's session lookup in the database. A cookie written
// in gob before is still read, so nobody is signed out by an upgrade.
type sessionCodec struct{}

// compactCookie starts a cookie this codec wrote. Gob starts with the
// length of its first message, never 0.
const compactCookie = 0

func (sessionCodec) Serialize(src any) ([]byte, error) {
	values, _ := src.(map[any]any)
	id, ok := values[cookieKey].(string)
	if !ok || len(values) != 1 {
		return nil, fmt.Errorf("web: the session cookie holds its session id alone, not %v", src)
	}
	return append([]byte{compactCookie}, id...), nil
}

func (sessionCodec) Deserialize(src []byte, dst any) error {
	if len(src) == 0 || src[0] != compactCookie {
		return securecookie.GobEncoder{}.Deserialize(src, dst)
	}
	values, ok := dst.(*map[any]any)
	if !ok {
		return fmt.Errorf("web: the session cookie is read into a map, not %T", dst)
	}
	*values = map[any]any{cookieKey: string(src[1:])}
	return nil
}

// useSessionCodec makes codecs write and read the session cookie with
// sessionCodec.
func useSessionCodec(codecs []securecookie.Codec) {
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(sessionCodec{})
		}
	}
}
