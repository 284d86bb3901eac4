package hashlist

import (
	"strings"
	"testing"
)

func BenchmarkParseCSV100k(b *testing.B) {
	in := largeCSV(100_000)
	for b.Loop() {
		ParseCSV(strings.NewReader(in))
	}
}

func BenchmarkParseJSONL100k(b *testing.B) {
	in := largeJSONL(100_000)
	for b.Loop() {
		ParseJSONL(strings.NewReader(in))
	}
}
