package jt808

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
)

// fixture is a real frame from testdata/frames.txt, in wire form.
type fixture struct {
	name, source string
	wire         []byte
}

var (
	fixturesOnce sync.Once
	fixtures     map[string]fixture
	fixtureOrder []string
	fixturesErr  error
)

func loadFixtures() {
	f, err := os.Open("testdata/frames.txt")
	if err != nil {
		fixturesErr = err
		return
	}
	defer f.Close()
	fixtures = map[string]fixture{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			fixturesErr = &os.PathError{Op: "parse", Path: line, Err: os.ErrInvalid}
			return
		}
		name := strings.TrimSpace(parts[0])
		wire, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(parts[2]), " ", ""))
		if err != nil {
			fixturesErr = err
			return
		}
		fixtures[name] = fixture{name: name, source: strings.TrimSpace(parts[1]), wire: wire}
		fixtureOrder = append(fixtureOrder, name)
	}
	fixturesErr = sc.Err()
}

// frame returns the named fixture; the test fails if it is missing.
func frame(t testing.TB, name string) fixture {
	t.Helper()
	fixturesOnce.Do(loadFixtures)
	if fixturesErr != nil {
		t.Fatalf("testdata/frames.txt: %v", fixturesErr)
	}
	f, ok := fixtures[name]
	if !ok {
		t.Fatalf("no fixture %q in testdata/frames.txt", name)
	}
	return f
}

// decodeFixture decodes the named single-frame fixture; the test fails on an error.
func decodeFixture(t testing.TB, name string) Packet {
	t.Helper()
	f := frame(t, name)
	p, err := DecodeFrame(nil, f.wire)
	if err != nil {
		t.Fatalf("%s (%s): DecodeFrame: %v", f.name, f.source, err)
	}
	return p
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustPhone(t testing.TB, s string) Phone {
	t.Helper()
	p, err := ParsePhone(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
