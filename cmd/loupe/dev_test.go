package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review/cybertip"
)

func TestDevFakeCybertipline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"dev", "fake-cybertipline", "--addr", "127.0.0.1:0", "--user", "isp", "--password", "secret", "--fail", "submit:5xx:1"}, nil, w, &errb)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		<-done
		t.Fatalf("no address printed: %v; stderr %q", err, errb.String())
	}
	go io.Copy(io.Discard, out)
	base := ""
	for f := range strings.FieldsSeq(line) {
		if strings.HasPrefix(f, "http://") {
			base = f
		}
	}
	get := func(user, password string) (int, cybertip.Code) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status", nil)
		req.SetBasicAuth(user, password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s/status: %v (printed %q)", base, err, line)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		code, _, err := cybertip.ParseCode(body)
		if err != nil {
			t.Fatalf("status answer %q: %v", body, err)
		}
		return resp.StatusCode, code
	}
	if status, code := get("isp", "secret"); status != 200 || code != cybertip.CodeOK {
		t.Errorf("status: HTTP %d, code %v", status, code)
	}
	if status, code := get("isp", "wrong"); status != 401 || code != cybertip.CodeAuthRequired {
		t.Errorf("status with a wrong password: HTTP %d, code %v", status, code)
	}
	resp, err := http.Post(base+"/submit", "text/xml", strings.NewReader("<report/>"))
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("submit with --fail submit:5xx:1: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not stop when its context ended")
	}
}

func TestDevFakeCybertiplineUsage(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		errText string
	}{
		{[]string{"--addr", "127.0.0.1:0"}, "--user and --password are required"},
		{[]string{"--user", "u", "--password", "p", "--fail", "submit:slow:1"}, "kind must be"},
		{[]string{"--user", "u", "--password", "p", "extra"}, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"dev", "fake-cybertipline"}, tc.args...), nil, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), tc.errText) {
			t.Errorf("%v: exit %d %q, want 2 containing %q", tc.args, code, errb.String(), tc.errText)
		}
	}
}
