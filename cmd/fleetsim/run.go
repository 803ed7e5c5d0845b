package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"fleet/cmd/fleetsim/sim"
)

// run is fleetsim: it parses args (args[0] is the program name), simulates until the duration
// has passed or SIGINT/SIGTERM arrives, drains and prints the summary. A second signal kills.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args[1:], stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.phones {
		for i := range o.cfg.N {
			fmt.Fprintln(stdout, o.cfg.Phone(i))
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the first signal drains; the next one has its default effect

	sum, err := sim.Run(ctx, o.cfg, stderr)
	if err != nil {
		return err
	}
	sum.WriteText(stdout)
	if o.json {
		b, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", b)
	}
	return nil
}
