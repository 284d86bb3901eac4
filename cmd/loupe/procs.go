package main

import (
	"os"
	"runtime"
	"sync"
)

// spareProcessor lets the Go scheduler run one goroutine more than the
// CPUs the process may use, unless GOMAXPROCS is set, and returns that CPU
// count, for ingest's decoding workers. It acts once per process.
//
// Ingest keeps one upload per CPU decoding while other requests sit in
// fsync and in SQLite's cgo calls, and a processor held by such a call
// until the runtime takes it back left the cores idle a tenth of the time:
// `loupe bench ingest` on 2 cores had them 88% busy with GOMAXPROCS 2 and
// 93% with 3, the decoding workers staying at 2.
var spareProcessor = sync.OnceValue(func() int {
	n := runtime.GOMAXPROCS(0)
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(n + 1)
	}
	return n
})
