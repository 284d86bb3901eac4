package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/storage/storagetest"
)

// bench ingest runs end to end on a tiny load and prints, per round and in
// total, the figures the ingest issue asks for; a bad --rounds is a usage
// error.
func TestBenchIngestPrintsItsFigures(t *testing.T) {
	var out, errb bytes.Buffer
	args := []string{"bench", "ingest", "--n", "4", "--rounds", "2", "--warmup", "2", "--images", "2", "--clients", "2"}
	if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("bench ingest: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"round 1: bare decode ", "round 2: ", "ms CPU each", "bare JPEG decode (image/jpeg, all cores): ",
		"items/s", "p99 ", "0 failures", "ingest rate / bare decode rate: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"bench", "ingest", "--rounds", "0"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "--rounds") {
		t.Errorf("--rounds 0: exit %d, %q; want 2 and a message naming --rounds", code, errb.String())
	}
}

// bench signin runs a small crowd through both sign-in steps and prints
// its figures; --people 0 is a usage error.
func TestBenchSignInPrintsItsFigures(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"bench", "signin", "--people", "6"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("bench signin: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"6 people signed in at once", ": 0 failures", "time to sign in: p50 ", "peak resident memory "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	errb.Reset()
	if code := run(context.Background(), []string{"bench", "signin", "--people", "0"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "--people") {
		t.Errorf("--people 0: exit %d, %q; want 2 and a message naming --people", code, errb.String())
	}
}

// bench review --instances runs reviewers across servers on one PostgreSQL
// database, stops one halfway and prints the figures before and after,
// with no failed iterations: the stopped server's reviewers carry on at
// another. With --runs 2 the stopped server starts again for the second
// run and the spread of the p99s comes last; with --trace the execution
// trace around a request slower than --trace-over is written. Several
// instances without --database, or --runs 0, is a usage error.
func TestBenchReviewAcrossInstances(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"bench", "review", "--instances", "2"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "--database") {
		t.Errorf("--instances 2 alone: exit %d, %q; want 2 and a message naming --database", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"bench", "review", "--runs", "0"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "--runs") {
		t.Errorf("--runs 0: exit %d, %q; want 2 and a message naming --runs", code, errb.String())
	}
	database := storagetest.PostgresDatabase(t)
	out.Reset()
	errb.Reset()
	tracePath := filepath.Join(t.TempDir(), "stall.trace")
	args := []string{"bench", "review", "--instances", "3", "--database", database, "--reviewers", "6", "--backlog", "1000", "--seconds", "4", "--think", "50ms", "--warmup", "1s",
		"--runs", "2", "--trace", tracePath, "--trace-over", "0s"}
	if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("bench review: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"spread over 3 instances", "run 1 of 2:\n", "run 2 of 2:\n", "instance 3 of 3 stopped", "before: claim + review page: p50 ", "after:  decision:            p50 ", "after:  decisions per second: ",
		"claim + review page p99 over 2 runs before the stop: ", "claim + review page p99 over 2 runs after the stop: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "failed iterations: 0\n"); n != 2 {
		t.Errorf("%d runs without failed iterations, want 2:\n%s", n, out.String())
	}
	if trace, err := os.ReadFile(tracePath); err != nil || !bytes.HasPrefix(trace, []byte("go 1.")) {
		t.Errorf("no execution trace in %s (%v): %.20q", tracePath, err, trace)
	}
	if !strings.Contains(errb.String(), "the last seconds of the execution trace are in "+tracePath) {
		t.Errorf("stderr does not say where the trace is: %q", errb.String())
	}
	if strings.Contains(out.String(), "after:  decisions per second: 0.0") {
		t.Errorf("no decisions after the stop:\n%s", out.String())
	}
}

// bench exposure runs both passes end to end on a tiny workload: with
// clusters and automation on, fewer reveals per decided item, and no
// decision against the ground truth; --items below --families is a usage
// error.
func TestBenchExposurePrintsItsFigures(t *testing.T) {
	var out, errb bytes.Buffer
	args := []string{"bench", "exposure", "--families", "6", "--items", "40", "--reviewers", "2", "--look", "0"}
	if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("bench exposure: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"workload: 40 items from 6 synthetic", "one item at a time:\n", "clusters and automation on:\n",
		"reveals per decided item: 1.000 one at a time", "decisions that disagree with the ground truth: 0", "ingest with clustering on: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "0.0 times fewer") || strings.Contains(out.String(), " 1.0 times fewer") {
		t.Errorf("seeing it once saved no reveals:\n%s", out.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"bench", "exposure", "--families", "10", "--items", "5"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "--items") {
		t.Errorf("--items 5 --families 10: exit %d, %q; want 2 and a message naming --items", code, errb.String())
	}
}
