package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the server's own Prometheus registry (never the global one):
// the Go and process collectors, the figures read from the database at
// scrape time, and request latency by route pattern.
type metrics struct {
	latency *prometheus.HistogramVec
	handler http.Handler // the exposition, with no access check of its own
}

func newMetrics(store review.MetricsStore, now func() time.Time, log *slog.Logger) *metrics {
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "loupe_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by route pattern (never the raw path) and status class.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "code"})
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		latency,
		&storeCollector{store: store, now: now, log: log},
	)
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
	return &metrics{latency: latency, handler: h}
}

// instrument records how long next takes to answer requests of pattern.
func (m *metrics) instrument(pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		m.latency.WithLabelValues(pattern, statusClass(rec.status)).Observe(time.Since(start).Seconds())
	})
}

// statusClass is "2xx" for 204: classes keep the label set small.
func statusClass(code int) string {
	return strconv.Itoa(code/100) + "xx"
}

// serveMetrics answers GET /metrics on the main address, where routeAccess
// lets only a token with the metrics scope through.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

// MetricsHandler serves only GET /metrics, without authentication, for a
// listener on a private address (--metrics-addr), and the health checks,
// which answer there even while the main listener is at its connection
// limit.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _ = s.healthz(w, r) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { _ = s.readyz(w, r) })
	return mux
}
