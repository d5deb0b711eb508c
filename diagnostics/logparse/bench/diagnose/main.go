// Command diagnose is the benchmark's stand-in for "hotspotctl diagnose
// --json FILE" while the command is not wired into hotspotctl: the same
// library call and the same output, without the CLI around it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hotspotctl/hotspotctl/diagnostics/logparse"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: diagnose FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "diagnose:", err)
		os.Exit(1)
	}
	defer f.Close()
	rep, err := logparse.Diagnose(context.Background(), f, logparse.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "diagnose:", err)
		os.Exit(1)
	}
	b, err := rep.Marshal()
	if err != nil {
		fmt.Fprintln(os.Stderr, "diagnose:", err)
		os.Exit(1)
	}
	os.Stdout.Write(b)
}
