package hashlist

import (
	"fmt"
	"strings"
)

// Valid values of each type, used across the tests.
const (
	md5Empty    = "d41d8cd98f00b204e9800998ecf8427e"
	sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	pdqSample   = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
)

// largeCSV and largeJSONL build n-row files of distinct valid hashes.
func largeCSV(n int) string {
	var b strings.Builder
	b.WriteString("hash_type,hash_value,category\n")
	for i := range n {
		fmt.Fprintf(&b, "md5,%032x,bulk\n", i+1)
	}
	return b.String()
}

func largeJSONL(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"hash_type":"sha256","hash_value":"%064x","category":"bulk"}`+"\n", i+1)
	}
	return b.String()
}
