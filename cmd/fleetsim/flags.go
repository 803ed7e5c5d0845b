package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"fleet/cmd/fleetsim/apiload"
	"fleet/cmd/fleetsim/sim"
	"fleet/cmd/fleetsim/wsload"
)

// options are fleetsim's command line: the simulation's config and what to print.
type options struct {
	cfg    sim.Config
	json   bool // the summary also as one JSON line
	phones bool // print the terminals' phones and exit
	// ws is the live push benchmark's clients, run when ws.Bases is set; wsIdle runs them alone.
	ws     wsload.Config
	wsIdle bool
	// api is steady API traffic, sent when api.Bases is set.
	api apiload.Config
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	o := options{cfg: sim.DefaultConfig(), ws: wsload.DefaultConfig(), api: apiload.DefaultConfig()}
	c, w := &o.cfg, &o.ws
	fs := flag.NewFlagSet("fleetsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(stderr, "Usage: fleetsim [flags]\n\nSimulated JT/T 808 terminals driving round the demo county. Progress goes to stderr\nevery few seconds, the summary to stdout.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.Server, "server", c.Server, "the gateway's `host:port`")
	fs.IntVar(&c.N, "n", c.N, "number of terminals")
	fs.DurationVar(&c.Interval, "interval", c.Interval, "time between two location reports of a terminal")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "how long to report (0: until interrupted)")
	fs.StringVar(&c.PhonePrefix, "phone-prefix", c.PhonePrefix, "terminal phone = prefix + (first + index), zero-padded to 11 digits")
	fs.IntVar(&c.First, "first", c.First, "number after the prefix of the first terminal")
	fs.Float64Var(&c.V2019Ratio, "v2019-ratio", c.V2019Ratio, "share of terminals with JT/T 808-2019 headers (the others 2013)")
	fs.DurationVar(&c.Ramp, "ramp", c.Ramp, "connect the terminals evenly over this long")
	fs.Float64Var(&c.AlarmRatio, "alarm-ratio", c.AlarmRatio, "chance that a report carries the SOS or overspeed alarm")
	fs.DurationVar(&c.Heartbeat, "heartbeat", c.Heartbeat, "heartbeat after this long without sending")
	fs.DurationVar(&c.AckTimeout, "ack-timeout", c.AckTimeout, "re-send a report unacknowledged this long (or 3× the observed latency if longer)")
	fs.IntVar(&c.MaxRetries, "max-retries", c.MaxRetries, "unanswered re-sends before a terminal reconnects")
	fs.IntVar(&c.MaxPending, "max-pending", c.MaxPending, "unacknowledged points a terminal keeps")
	fs.DurationVar(&c.Drain, "drain", c.Drain, "at the end, how long to wait for outstanding acks")
	fs.BoolVar(&c.Idle, "idle", false, "connect, authenticate and heartbeat only: no locations")
	fs.Uint64Var(&c.Seed, "seed", 0, "seed of routes and driving (0: random)")
	fs.DurationVar(&c.Progress, "progress", c.Progress, "time between progress lines")
	fs.BoolVar(&o.json, "json", false, "also print the summary as one JSON line")
	fs.BoolVar(&o.phones, "phones", false, "print the terminals' phone numbers, one a line, and exit")
	bases := fs.String("ws", "", "also run websocket clients of the live push against these fleetd `URLs` (comma-separated, http://host:port), timing each position from its report's write")
	fs.IntVar(&w.Clients, "ws-clients", w.Clients, "websocket clients, spread over the -ws URLs in turn")
	fs.StringVar(&w.Username, "ws-user", w.Username, "user the websocket clients sign in as")
	fs.StringVar(&w.Password, "ws-password", "", "that user's password (default $FLEETSIM_WS_PASSWORD)")
	fs.DurationVar(&w.Warmup, "ws-warmup", 30*time.Second, "deliveries are measured from this long after the start until -duration")
	fs.DurationVar(&w.BehindAfter, "ws-behind", w.BehindAfter, "a websocket client whose p99 latency is above this has fallen behind")
	fs.BoolVar(&o.wsIdle, "ws-idle", false, "websocket clients only, no terminals: connect, subscribe and hold for -duration")
	apiBases := fs.String("api", "", "also send steady API traffic (GETs of the console's pages) to these fleetd `URLs` (comma-separated), as -ws-user")
	fs.Float64Var(&o.api.Rate, "api-rate", o.api.Rate, "API requests a second")
	fs.IntVar(&o.api.Workers, "api-workers", o.api.Workers, "API requests in flight at most")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *apiBases != "" {
		o.api.Bases = strings.Split(*apiBases, ",")
		o.api.Username, o.api.Password, o.api.Progress = w.Username, getenv("FLEETSIM_WS_PASSWORD"), c.Progress
		if w.Password != "" {
			o.api.Password = w.Password
		}
		if err := o.api.Validate(); err != nil {
			return o, err
		}
	}
	if *bases == "" {
		if o.wsIdle {
			return o, errors.New("-ws-idle needs -ws")
		}
		return o, c.Validate()
	}
	w.Bases = strings.Split(*bases, ",")
	if w.Password == "" {
		w.Password = getenv("FLEETSIM_WS_PASSWORD")
	}
	w.Progress = c.Progress
	if o.wsIdle {
		w.Warmup, w.Window = 0, c.Duration
		return o, w.Validate()
	}
	if c.Duration > 0 {
		if c.Duration <= w.Warmup {
			return o, fmt.Errorf("-duration %v must be longer than -ws-warmup %v", c.Duration, w.Warmup)
		}
		w.Window = c.Duration - w.Warmup
	}
	w.Phones = make([]string, c.N)
	for i := range w.Phones {
		w.Phones[i] = c.Phone(i)
	}
	return o, errors.Join(c.Validate(), w.Validate())
}
