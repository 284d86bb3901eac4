package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review/egress"
)

func osGetenv(k string) string { return os.Getenv(k) }

// config is every setting of a running Loupe, read from flags and LOUPE_*
// environment variables (flags win) and validated once.
type config struct {
	Addr           string
	Data           string
	LogFormat      string
	LogLevel       string
	SecureCookies  bool
	MinFreeMB      uint64
	TLSCert        string
	TLSKey         string
	TrustedProxies string
	MetricsAddr    string
	NCMEC          ncmecConfig
	// AllowInsecureOutbound lets callbacks and the CyberTipline client use
	// http:// and reach internal addresses: for local fakes only.
	AllowInsecureOutbound bool
}

// registerData adds the flag every command shares: where the data lives.
func (c *config) registerData(fs *flag.FlagSet, e env) {
	fs.StringVar(&c.Data, "data", envOr(e, "LOUPE_DATA", "./loupe-data"), "data directory: database, media, keys (LOUPE_DATA)")
}

// registerServe adds the flags of commands that run the server.
func (c *config) registerServe(fs *flag.FlagSet, e env) {
	c.registerData(fs, e)
	fs.StringVar(&c.Addr, "addr", envOr(e, "LOUPE_ADDR", "127.0.0.1:8080"), "listen address (LOUPE_ADDR)")
	fs.StringVar(&c.LogFormat, "log-format", envOr(e, "LOUPE_LOG_FORMAT", "text"), "log format: text or json (LOUPE_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", envOr(e, "LOUPE_LOG_LEVEL", "info"), "log level: debug, info, warn, error (LOUPE_LOG_LEVEL)")
	floor, _ := strconv.ParseUint(envOr(e, "LOUPE_MIN_FREE_MB", "1024"), 10, 64)
	fs.Uint64Var(&c.MinFreeMB, "min-free-mb", floor, "refuse ingest with 503 when the data directory has less free space, in MiB (LOUPE_MIN_FREE_MB)")
	secure, _ := strconv.ParseBool(envOr(e, "LOUPE_SECURE_COOKIES", "false"))
	fs.BoolVar(&c.SecureCookies, "secure-cookies", secure, "mark cookies Secure, for use behind a TLS proxy (LOUPE_SECURE_COOKIES)")
	fs.StringVar(&c.TLSCert, "tls-cert", envOr(e, "LOUPE_TLS_CERT", ""), "serve HTTPS with this certificate file, PEM (LOUPE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", envOr(e, "LOUPE_TLS_KEY", ""), "the certificate's private key file, PEM (LOUPE_TLS_KEY)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxy", envOr(e, "LOUPE_TRUSTED_PROXY", ""), "comma-separated addresses or CIDRs whose X-Forwarded-For is believed (LOUPE_TRUSTED_PROXY)")
	fs.StringVar(&c.NCMEC.URL, "ncmec-url", envOr(e, "LOUPE_NCMEC_URL", ""), "CyberTipline API base URL, e.g. https://exttest.cybertip.org/ispws; credentials from LOUPE_NCMEC_USER and LOUPE_NCMEC_PASSWORD (LOUPE_NCMEC_URL)")
	fs.StringVar(&c.NCMEC.Env, "ncmec-env", envOr(e, "LOUPE_NCMEC_ENV", "test"), "whether --ncmec-url is NCMEC's test or production endpoint (LOUPE_NCMEC_ENV)")
	c.NCMEC.User, c.NCMEC.Password = e.getenv("LOUPE_NCMEC_USER"), e.getenv("LOUPE_NCMEC_PASSWORD")
	insecure, _ := strconv.ParseBool(envOr(e, "LOUPE_ALLOW_INSECURE_OUTBOUND", "false"))
	fs.BoolVar(&c.AllowInsecureOutbound, "allow-insecure-outbound", insecure, "let callbacks and --ncmec-url use http:// and loopback, private and link-local addresses: for local testing with fakes, never in production (LOUPE_ALLOW_INSECURE_OUTBOUND)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", envOr(e, "LOUPE_METRICS_ADDR", ""), "also serve /metrics, without authentication, on this private address (LOUPE_METRICS_ADDR)")
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// validate checks the server settings once, before anything starts.
func (c *config) validate() error {
	if err := c.checkTLS(); err != nil {
		return err
	}
	if err := c.NCMEC.check(c.outbound()); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && err != nil {
		return fmt.Errorf("%w: --metrics-addr %q: want HOST:PORT", errUsage, c.MetricsAddr)
	}
	_, err := c.proxies()
	return err
}

// outbound is what outbound requests may reach.
func (c *config) outbound() egress.Policy {
	return egress.Policy{AllowInsecure: c.AllowInsecureOutbound}
}

// logger builds the configured slog logger.
func (c *config) logger(e env) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("%w: --log-level %q: want debug, info, warn or error", errUsage, c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, fmt.Errorf("%w: --log-format %q: want text or json", errUsage, c.LogFormat)
}

// proxies parses --trusted-proxy.
func (c *config) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(c.TrustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%w: --trusted-proxy %q is not an address or CIDR", errUsage, part)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%w: --trusted-proxy %q is not an address or CIDR", errUsage, part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// checkTLS refuses half a TLS configuration.
func (c *config) checkTLS() error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("%w: give both --tls-cert and --tls-key", errUsage)
	}
	return nil
}
