package pdqindex

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunBenchmark(t *testing.T) {
	var out bytes.Buffer
	if err := RunBenchmark(&out, 20_000, 50, 1); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"build:", "memory:", "search:", "p99", "throughput:", "brute force:", "results identical", "speed-up:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if err := RunBenchmark(&out, 0, 10, 1); err == nil {
		t.Error("n=0: no error")
	}
}

func TestProcStatus(t *testing.T) {
	got := procStatus("VmRSS")
	if got != "unavailable" && !strings.HasSuffix(got, " MiB") {
		t.Errorf("procStatus(VmRSS) = %q", got)
	}
	if got := procStatus("NoSuchField"); got != "unavailable" {
		t.Errorf("procStatus(NoSuchField) = %q", got)
	}
}
