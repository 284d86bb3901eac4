package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
	"github.com/loupe-review/loupe/storage"
	"github.com/loupe-review/loupe/web"
)

func osGetenv(k string) string { return os.Getenv(k) }

// config is every setting of a running Loupe, read from flags and LOUPE_*
// environment variables (flags win) and validated once.
type config struct {
	location
	Addr           string
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
	// Resource limits against clients that hold connections, bodies and
	// memory (see the README's security notes).
	MaxConns       int
	Timeouts       web.Timeouts
	MinRateKiB     int64
	MaxMedia       int
	DecodeMemoryMB int64
	envErr         error // a LOUPE_* variable that does not parse
}

// location is where a deployment keeps what it stores.
type location struct {
	Data  string // the data directory: database, master key, local media
	Media string // "" for DATA/media, or s3://BUCKET/PREFIX
	// Database is a postgres:// URL; "" keeps the SQLite file in Data.
	Database string
}

// registerData adds the flags every command shares: where the data lives.
func (c *config) registerData(fs *flag.FlagSet, e env) {
	fs.StringVar(&c.Data, "data", envOr(e, "LOUPE_DATA", "./loupe-data"), "data directory: database, media, keys (LOUPE_DATA)")
	fs.StringVar(&c.Media, "media", envOr(e, "LOUPE_MEDIA", ""), "where encrypted media objects are kept: empty for DATA/media, or s3://BUCKET/PREFIX with credentials, region and endpoint from the AWS_* environment (LOUPE_MEDIA)")
	fs.StringVar(&c.Database, "database", envOr(e, "LOUPE_DATABASE", ""), "PostgreSQL database URL, postgres://user@host/db; empty keeps the SQLite file in the data directory (LOUPE_DATABASE)")
}

// open opens the app the data flags name.
func (c config) open(ctx context.Context, e env) (*app, error) {
	if c.Database != "" && !storage.IsPostgres(c.Database) {
		return nil, fmt.Errorf("%w: --database takes a postgres:// URL (the SQLite database is loupe.db in --data)", errUsage)
	}
	return openApp(ctx, c.location, e)
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
	fs.StringVar(&c.MetricsAddr, "metrics-addr", envOr(e, "LOUPE_METRICS_ADDR", ""), "also serve /metrics and the health checks, without authentication, on this private address (LOUPE_METRICS_ADDR)")
	c.registerLimits(fs, e)
}

// registerLimits adds the flags that bound what clients may hold.
func (c *config) registerLimits(fs *flag.FlagSet, e env) {
	d, l := web.DefaultTimeouts, review.DefaultIngestLimits
	c.Timeouts.ReadHeader = d.ReadHeader
	fs.IntVar(&c.MaxConns, "max-conns", 1024, "connections served at once; more wait until one closes (LOUPE_MAX_CONNS)")
	fs.DurationVar(&c.Timeouts.Read, "read-timeout", d.Read, "time to receive a whole request, except uploads of files (LOUPE_READ_TIMEOUT)")
	fs.DurationVar(&c.Timeouts.Write, "write-timeout", d.Write, "time to answer a request, except downloads of files (LOUPE_WRITE_TIMEOUT)")
	fs.DurationVar(&c.Timeouts.Idle, "idle-timeout", d.Idle, "time a kept-alive connection may wait for its next request (LOUPE_IDLE_TIMEOUT)")
	fs.Int64Var(&c.MinRateKiB, "min-transfer-rate", d.MinRate>>10, "KiB a second that uploads and downloads of files must keep up after the read or write timeout (LOUPE_MIN_TRANSFER_RATE)")
	fs.IntVar(&c.MaxMedia, "max-media", l.MaxMedia, "media files one ingested item may have (LOUPE_MAX_MEDIA)")
	fs.Int64Var(&c.DecodeMemoryMB, "decode-memory-mb", l.DecodeMemory>>20, "MiB that image decodes running at once may use between them (LOUPE_DECODE_MEMORY_MB)")
	for name, key := range map[string]string{
		"max-conns": "LOUPE_MAX_CONNS", "read-timeout": "LOUPE_READ_TIMEOUT", "write-timeout": "LOUPE_WRITE_TIMEOUT",
		"idle-timeout": "LOUPE_IDLE_TIMEOUT", "min-transfer-rate": "LOUPE_MIN_TRANSFER_RATE", "max-media": "LOUPE_MAX_MEDIA",
		"decode-memory-mb": "LOUPE_DECODE_MEMORY_MB",
	} {
		c.fromEnv(fs, e, name, key)
	}
}

// fromEnv sets flag name from the environment variable key, when it is set,
// before the command line is parsed (flags still win). A value that does
// not parse is a usage error at validate.
func (c *config) fromEnv(fs *flag.FlagSet, e env, name, key string) {
	if v := e.getenv(key); v != "" {
		if err := fs.Set(name, v); err != nil && c.envErr == nil {
			c.envErr = fmt.Errorf("%w: %s=%q: %v", errUsage, key, v, err)
		}
	}
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// validate checks the server settings once, before anything starts.
func (c *config) validate() error {
	if c.envErr != nil {
		return c.envErr
	}
	if err := c.checkTLS(); err != nil {
		return err
	}
	if err := c.checkLimits(); err != nil {
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

// checkLimits refuses limits that would refuse every client.
func (c *config) checkLimits() error {
	switch {
	case c.MaxConns < 1:
		return fmt.Errorf("%w: --max-conns must be at least 1", errUsage)
	case c.Timeouts.Read < time.Second, c.Timeouts.Write < time.Second, c.Timeouts.Idle < time.Second:
		return fmt.Errorf("%w: --read-timeout, --write-timeout and --idle-timeout must be at least 1s", errUsage)
	case c.MinRateKiB < 1:
		return fmt.Errorf("%w: --min-transfer-rate must be at least 1 (KiB a second)", errUsage)
	case c.MaxMedia < 1:
		return fmt.Errorf("%w: --max-media must be at least 1", errUsage)
	case c.DecodeMemoryMB < 64:
		return fmt.Errorf("%w: --decode-memory-mb must be at least 64", errUsage)
	}
	return nil
}

// timeouts are the server's timeouts, with the rate in bytes.
func (c *config) timeouts() web.Timeouts {
	t := c.Timeouts
	t.MinRate = c.MinRateKiB << 10
	return t
}
