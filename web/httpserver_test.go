package web

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testTimeouts are short, so the attacks below are cut off within seconds.
var testTimeouts = Timeouts{ReadHeader: time.Second, Read: time.Second, Write: 2 * time.Second, Idle: 2 * time.Second, MinRate: 1024}

// serveReal serves h's server the way serve does, on a loopback listener
// that accepts maxConns connections at once, and returns its address.
func serveReal(t *testing.T, h *harness, to Timeouts, maxConns int) string {
	t.Helper()
	h.srv.cfg.Timeouts = to
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hs := NewHTTPServer(h.srv, to, log)
	go hs.Serve(LimitListener(ln, maxConns, log))
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// trickle sends head, then body one byte every gap until the server stops
// reading, and returns the server's answer and how long the connection
// lasted.
func trickle(t *testing.T, addr, head string, body []byte, gap time.Duration) (string, time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	go func() {
		for _, b := range body {
			if _, err := conn.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(gap)
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, _ := io.ReadAll(conn) // until the server closes the connection
	return string(answer), time.Since(start)
}

// A body sent a byte at a time is cut off within the read timeout: on
// ordinary routes the server's, on ingest once it falls below the minimum
// rate. A connection used to stay open for as long as bytes kept coming.
func TestSlowBodyIsCutOff(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	addr := serveReal(t, h, testTimeouts, 16)
	ct, ingest := itemForm(t, meta("slow", ""), media(testImage(64, 64, 1)))
	cases := []struct {
		name string
		head string
		body []byte
	}{
		{"sign-in form", "POST /signin HTTP/1.1\r\nHost: loupe\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
			bytes.Repeat([]byte("a"), 1000)},
		{"ingest", fmt.Sprintf("POST /api/v1/items HTTP/1.1\r\nHost: loupe\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", token, ct, len(ingest)),
			ingest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answer, lasted := trickle(t, addr, tc.head, tc.body, 50*time.Millisecond)
			if lasted > testTimeouts.Read+time.Second {
				t.Errorf("the connection lasted %v; the read timeout is %v", lasted, testTimeouts.Read)
			}
			if !strings.HasPrefix(answer, "HTTP/1.1 408") || !strings.Contains(answer, "arrived too slowly") {
				t.Errorf("answer: %.200q", answer)
			}
		})
	}
	if _, err := h.db.FindItemByExternalID(t.Context(), 1, "slow"); err == nil {
		t.Error("a cut-off upload stored an item")
	}
}

// An upload that takes longer than the read timeout but keeps above the
// minimum rate is not cut off.
func TestSteadyUploadOutlastsReadTimeout(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	addr := serveReal(t, h, testTimeouts, 16)
	ct, body := itemForm(t, meta("steady", ""), media(noisyPNG(100, 100)))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/items HTTP/1.1\r\nHost: loupe\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", token, ct, len(body))
	// Twice the read timeout, at several times the minimum rate.
	const chunks = 20
	gap := 2 * testTimeouts.Read / chunks
	if rate := float64(len(body)) / (2 * testTimeouts.Read).Seconds(); rate < 3*float64(testTimeouts.MinRate) {
		t.Fatalf("the body is too small to test: %.0f bytes a second", rate)
	}
	start := time.Now()
	for i := range chunks {
		if _, err := conn.Write(body[i*len(body)/chunks : (i+1)*len(body)/chunks]); err != nil {
			t.Fatalf("after %v: %v", time.Since(start), err)
		}
		time.Sleep(gap)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("after %v: %d %s", time.Since(start), res.StatusCode, b)
	}
}

// Past the connection limit, connections wait until one closes: the
// process keeps its file descriptors, and /healthz answers as soon as a
// slot frees.
func TestConnectionLimit(t *testing.T) {
	h := newHarness(t)
	to := testTimeouts
	to.ReadHeader, to.Read = 10*time.Second, 10*time.Second // the idle holders stay
	addr := serveReal(t, h, to, 2)
	var holders []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		holders = append(holders, c)
	}
	answered := make(chan int, 1)
	go func() {
		client := &http.Client{Timeout: 10 * time.Second}
		res, err := client.Get("http://" + addr + "/healthz")
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	select {
	case code := <-answered:
		t.Fatalf("a third connection was served (%d) while two held the limit", code)
	case <-time.After(300 * time.Millisecond):
	}
	holders[0].Close()
	select {
	case code := <-answered:
		if code != http.StatusOK {
			t.Fatalf("healthz: %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("healthz did not answer once a connection closed")
	}
}

// noisyPNG is a PNG of pseudo-random pixels, which compress poorly.
func noisyPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rnd.Uint32())
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
