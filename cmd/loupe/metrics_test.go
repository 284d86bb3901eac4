package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestServeMetricsAddr(t *testing.T) {
	data := t.TempDir()
	code, out, errOut := loupe(t, data, "", "token", "add", "--name", "prometheus", "--source", "monitoring", "--scope", "metrics")
	if code != 0 {
		t.Fatalf("token add --scope metrics: %d %s", code, errOut)
	}
	token := strings.Fields(strings.SplitN(out, "\n", 3)[1])[0]
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		var out, errb bytes.Buffer
		done <- run(ctx, []string{"serve", "--addr", addr, "--metrics-addr", metricsAddr, "--data", data, "--log-level", "error"}, nil, &out, &errb)
	}()
	var err error
	for range 100 {
		var res *http.Response
		if res, err = http.Get("http://" + metricsAddr + "/metrics"); err == nil {
			res.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if status, body := get(t, "http://"+metricsAddr+"/metrics", ""); status != http.StatusOK || !strings.Contains(body, `loupe_queue_depth{queue="default"} 0`) {
		t.Errorf("metrics address without a token: %d\n%.300s", status, body)
	}
	// The health checks answer here too, beside a main listener at its
	// connection limit.
	if status, _ := get(t, "http://"+metricsAddr+"/healthz", ""); status != http.StatusOK {
		t.Errorf("healthz on the metrics address: %d", status)
	}
	if status, _ := get(t, "http://"+metricsAddr+"/admin/users", ""); status != http.StatusNotFound {
		t.Errorf("the metrics address serves other paths: %d", status)
	}
	if status, _ := get(t, "http://"+addr+"/metrics", ""); status != http.StatusUnauthorized {
		t.Errorf("main address without a token: %d, want 401", status)
	}
	if status, body := get(t, "http://"+addr+"/metrics", token); status != http.StatusOK || !strings.Contains(body, "loupe_items_ingested_total 0") {
		t.Errorf("main address with the metrics token: %d", status)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d after shutdown", code)
	}
	if code, _, errOut := loupe(t, data, "", "serve", "--metrics-addr", "nowhere"); code != 2 || !strings.Contains(errOut, "--metrics-addr") {
		t.Errorf("a bad --metrics-addr: %d %q", code, errOut)
	}
	if code, _, errOut := loupe(t, data, "", "token", "add", "--name", "x", "--source", "monitoring", "--scope", "admin"); code != 2 || !strings.Contains(errOut, "metrics") {
		t.Errorf("an unknown scope: %d %q", code, errOut)
	}
}
