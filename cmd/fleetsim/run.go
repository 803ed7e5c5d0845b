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
	"time"

	"fleet/cmd/fleetsim/apiload"
	"fleet/cmd/fleetsim/sim"
	"fleet/cmd/fleetsim/wsload"
)

// run is fleetsim: it parses args (args[0] is the program name), simulates until the duration
// has passed or SIGINT/SIGTERM arrives, drains and prints the summary. A second signal kills.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args[1:], getenv, stderr)
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

	// The live push clients connect first, so that they see every report the terminals send.
	var load *wsload.Load
	if o.ws.Bases != nil {
		if load, err = wsload.Start(ctx, o.ws, stderr); err != nil {
			return err
		}
		o.cfg.OnSend = load.Sent
	}
	var api *apiload.Load
	if o.api.Bases != nil {
		if api, err = apiload.Start(ctx, o.api, stderr); err != nil {
			if load != nil {
				load.Stop()
			}
			return err
		}
	}
	var out struct {
		*sim.Summary
		WS  *wsload.Summary  `json:"ws,omitempty"`
		API *apiload.Summary `json:"api,omitempty"`
	}
	if o.wsIdle {
		hold(ctx, o.cfg.Duration)
	} else {
		sum, err := sim.Run(ctx, o.cfg, stderr)
		if err != nil {
			if load != nil {
				load.Stop()
			}
			if api != nil {
				api.Stop()
			}
			return err
		}
		sum.WriteText(stdout)
		out.Summary = &sum
	}
	if load != nil {
		ws := load.Stop()
		ws.WriteText(stdout)
		out.WS = &ws
	}
	if api != nil {
		a := api.Stop()
		a.WriteText(stdout)
		out.API = &a
	}
	if o.json {
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", b)
	}
	return nil
}

// hold waits for d (0: for ever) or until ctx ends.
func hold(ctx context.Context, d time.Duration) {
	if d <= 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
