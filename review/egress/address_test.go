package egress

import (
	"context"
	"net/netip"
	"testing"
)

func TestPublic(t *testing.T) {
	internal := []string{
		"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
		"255.255.255.255", "240.0.0.1", "224.0.0.1", "192.0.2.1", "198.18.0.1",
		"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
		"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:0:7f00:1::1", "2001:db8::1",
	}
	for _, s := range internal {
		if Public(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as public", s)
		}
	}
	for _, s := range []string{"1.1.1.1", "93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:1.1.1.1"} {
		if !Public(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as internal", s)
		}
	}
}

// The dial-time check sees the address actually dialled; these never
// leave the machine because the check refuses them first.
func TestRefuseInternalAtDial(t *testing.T) {
	for _, c := range []struct{ network, address string }{
		{"tcp4", "169.254.169.254:80"}, {"tcp4", "10.0.0.1:443"}, {"tcp4", "127.0.0.1:22"},
		{"tcp6", "[::1]:443"}, {"tcp6", "[fe80::1%eth0]:443"}, {"tcp6", "[::ffff:127.0.0.1]:443"},
		{"udp4", "1.1.1.1:53"},
	} {
		if err := refuseInternal(context.Background(), c.network, c.address, nil); err != ErrAddressNotAllowed {
			t.Errorf("%s %s: %v", c.network, c.address, err)
		}
	}
	if err := refuseInternal(context.Background(), "tcp4", "1.1.1.1:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	strict, testing_ := Policy{}, Policy{AllowInsecure: true}
	cases := []struct {
		url        string
		strict, ok bool // accepted without and with AllowInsecure
	}{
		{"https://example.org/hook", true, true},
		{"https://hooks.example.org:8443/loupe?x=1", true, true},
		{"http://example.org/hook", false, true},
		{"https://127.0.0.1/hook", false, true},
		{"https://[::1]:8443/", false, true},
		{"https://[::ffff:127.0.0.1]/", false, true},
		{"https://169.254.169.254/latest/meta-data/", false, true},
		{"https://10.0.0.5/", false, true},
		{"https://localhost:8443/", false, true},
		{"https://api.localhost/", false, true},
		{"ftp://example.org/", false, false},
		{"example.org/hook", false, false},
		{"https://", false, false},
		{"https://exa mple.org/%zz", false, false},
	}
	for _, c := range cases {
		if err := strict.CheckURL(c.url); (err == nil) != c.strict {
			t.Errorf("strict %q: %v", c.url, err)
		}
		if err := testing_.CheckURL(c.url); (err == nil) != c.ok {
			t.Errorf("allow insecure %q: %v", c.url, err)
		}
	}
}
