// Command loupe runs the Loupe review workbench and its administration
// commands. Run "loupe help" for the list.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
