// Command fleetsim runs simulated JT/T 808 terminals against a fleet gateway: a load generator
// for benchmarks and a source of live vehicles for demos. See sim for what a terminal does.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "fleetsim: %v\n", err)
		os.Exit(1)
	}
}
