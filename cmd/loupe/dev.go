package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/loupe-review/loupe/review/ncmec"
	"github.com/loupe-review/loupe/web"
)

// cmdDevFakeCybertipline serves ncmec.Fake, an in-memory stand-in for
// NCMEC's reporting service, so reports can be tried without NCMEC's test
// account. It keeps nothing when it stops.
func cmdDevFakeCybertipline(ctx context.Context, e env) error {
	fs := newFlags(e, "dev fake-cybertipline", "dev fake-cybertipline --user U --password P [--addr HOST:PORT] [--fail STEP:KIND:TIMES ...]")
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on")
	user := fs.String("user", "", "user name the fake accepts (required)")
	password := fs.String("password", "", "password the fake accepts (required)")
	hang := fs.Duration("hang", time.Minute, "how long a timeout failure holds a request (the client usually gives up first)")
	var fails listFlag
	fs.Var(&fails, "fail", "`STEP:KIND:TIMES`: the next TIMES calls to STEP (status, submit, upload, fileinfo, finish, retract) fail as KIND: "+
		"5xx, timeout, 4100, or lost (the step happens but its answer never arrives); repeatable")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *user == "" || *password == "" {
		return fmt.Errorf("%w: --user and --password are required", errUsage)
	}
	fake := ncmec.NewFake(*user, *password)
	fake.Hang = *hang
	fake.Log = slog.New(slog.NewTextHandler(e.stderr, nil))
	for _, spec := range fails {
		step, kind, times, err := ncmec.ParseFailure(spec)
		if err != nil {
			return fmt.Errorf("%w: --fail: %v", errUsage, err)
		}
		fake.Fail(step, kind, times)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	to := web.DefaultTimeouts
	to.Write = max(to.Write, *hang+10*time.Second) // a held request still answers
	hs := web.NewHTTPServer(fake, to, fake.Log)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Fprintf(e.stdout, "fake CyberTipline: http://%s (user %s); stop with Ctrl-C\n", ln.Addr(), *user)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Close rather than Shutdown: nothing here is worth waiting for, and a
	// request held by a timeout failure would hold up a graceful shutdown.
	if err := hs.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
