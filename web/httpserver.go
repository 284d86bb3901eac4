package web

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Timeouts bound how long a client may hold a connection. The routes that
// move files (ingest, the image search, originals, bundles, exports) get
// deadlines that move with the bytes instead: Read or Write to begin with,
// then at least MinRate bytes a second.
type Timeouts struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // a whole request, body included
	Write      time.Duration // from the end of the headers to the end of the response
	Idle       time.Duration // a kept-alive connection between requests
	MinRate    int64         // bytes a second, for the routes that move files
}

// DefaultTimeouts are the documented defaults.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 15 * time.Second, Write: 30 * time.Second, Idle: time.Minute, MinRate: 32 << 10}

// maxHeaderBytes caps a request's headers (net/http allows 1 MB): a
// session cookie and a token are well under 8 KiB.
const maxHeaderBytes = 64 << 10

// NewHTTPServer builds the http.Server for h: every listener Loupe serves
// (the main address, --metrics-addr, the development fakes) is built here.
func NewHTTPServer(h http.Handler, t Timeouts, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(t.ReadHeader, t.Read),
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// LimitListener accepts at most max connections at once. Past that, new
// connections wait in the kernel's accept queue until one closes, so a
// flood of idle or slow clients cannot use up the process's file
// descriptors. It logs, at most once a minute, that the limit was reached.
func LimitListener(ln net.Listener, max int, log *slog.Logger) net.Listener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, max), done: make(chan struct{}), log: log}
}

type limitListener struct {
	net.Listener
	slots  chan struct{}
	done   chan struct{}
	once   sync.Once
	log    *slog.Logger
	warned atomic.Int64 // unix seconds of the last warning
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		if now := time.Now().Unix(); now-l.warned.Load() >= 60 {
			l.warned.Store(now)
			l.log.Warn("connection limit reached; new connections wait until one closes", "limit", cap(l.slots))
		}
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitedConn gives its slot back when it closes.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// CloseWrite lets net/http half-close before closing, so a client still
// reads an early answer (such as a 413) to a body it is sending.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
