package main

import (
	"fmt"
	"io"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

// slowTrace keeps the last seconds of the process's execution trace (a
// flight recorder) and writes them to a file the first time a measured
// request is slower than a threshold, so that a stall can be read with
// `go tool trace` (and its -pprof=sched|sync|net|syscall profiles).
type slowTrace struct {
	fr     *trace.FlightRecorder
	path   string
	over   time.Duration
	stderr io.Writer
	once   sync.Once
}

// startSlowTrace starts recording, keeping at least window of the trace;
// an empty path records nothing.
func startSlowTrace(path string, over, window time.Duration, stderr io.Writer) (*slowTrace, error) {
	s := &slowTrace{path: path, over: over, stderr: stderr}
	if path == "" {
		return s, nil
	}
	s.fr = trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: window, MaxBytes: 256 << 20})
	return s, s.fr.Start()
}

// observe writes the window once a request took longer than the threshold.
func (s *slowTrace) observe(took time.Duration) {
	if s == nil || s.fr == nil || took <= s.over {
		return
	}
	s.once.Do(func() {
		err := s.write()
		fmt.Fprintf(s.stderr, "a request took %v: the last seconds of the execution trace are in %s (%v)\n", took.Round(time.Millisecond), s.path, err)
	})
}

func (s *slowTrace) write() error {
	f, err := os.Create(s.path)
	if err != nil {
		return err
	}
	if _, err := s.fr.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (s *slowTrace) stop() {
	if s.fr != nil {
		s.fr.Stop()
	}
}
