package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/loupe-review/loupe/web"
)

// serveMetrics serves GET /metrics alone on addr, without authentication,
// for a Prometheus server on a private network (--metrics-addr). Serve
// errors go to errc.
func serveMetrics(addr string, srv *web.Server, log *slog.Logger, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on --metrics-addr %s: %w", addr, err)
	}
	ms := &http.Server{
		Handler:           srv.MetricsHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("metrics are served without authentication", "url", "http://"+ln.Addr().String()+"/metrics")
	go func() { errc <- ms.Serve(ln) }()
	return ms, nil
}
