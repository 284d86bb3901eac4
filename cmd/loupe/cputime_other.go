//go:build !unix

package main

import "time"

// processCPU is unknown here: benchmarks print no CPU figures.
func processCPU() time.Duration { return 0 }

// peakRSS is unknown here.
func peakRSS() uint64 { return 0 }
