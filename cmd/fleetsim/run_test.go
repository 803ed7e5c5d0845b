package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"fleet/cmd/fleetsim/sim"
)

func TestPhonesMatchTheDemoCounty(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"fleetsim", "-phones", "-n", "3"}, noEnv, &out, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "13907950001\n13907950002\n13907950003\n"; got != want {
		t.Fatalf("phones = %q, want %q", got, want)
	}
}

func TestBadFlagsAreRefused(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-v2019-ratio", "2"}, {"-phone-prefix", "1x"}, {"-interval", "0s"}, {"-nope"}} {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"fleetsim"}, args...), noEnv, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// With no server the terminals only fail to dial, and the run still ends with a JSON summary
// line, which scripts/bench-ingest.sh reads.
func TestJSONSummaryWithoutServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var out, errOut bytes.Buffer
	args := []string{"fleetsim", "-server", addr, "-n", "3", "-duration", "300ms", "-ramp", "0s", "-drain", "-1s", "-json"}
	if err := run(context.Background(), args, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var sum sim.Summary
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if sum.Terminals != 3 || sum.DialErrors == 0 || sum.Authenticated != 0 {
		t.Fatalf("summary %+v: want 3 terminals that could not dial", sum)
	}
}

func noEnv(string) string { return "" }
