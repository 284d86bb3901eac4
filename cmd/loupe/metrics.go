package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/loupe-review/loupe/web"
)

// metricsMaxConns caps the connections of the metrics address: a
// Prometheus server and a few health probes.
const metricsMaxConns = 64

// serveMetrics serves GET /metrics and the health checks alone on addr,
// without authentication, for a Prometheus server and probes on a private
// network (--metrics-addr). Serve errors go to errc.
func serveMetrics(addr string, srv *web.Server, t web.Timeouts, log *slog.Logger, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on --metrics-addr %s: %w", addr, err)
	}
	ms := web.NewHTTPServer(srv.MetricsHandler(), t, log)
	log.Info("metrics are served without authentication", "url", "http://"+ln.Addr().String()+"/metrics")
	go func() { errc <- ms.Serve(web.LimitListener(ln, metricsMaxConns, log)) }()
	return ms, nil
}
