package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
)

// config is fleetctl's settings: defaults, then the environment, then flags.
type config struct {
	DB         string // FLEET_DB
	BcryptCost int    // FLEET_BCRYPT_COST; 0 for auth's default
}

// defaultDB is fleetd's default database, so that both find the same file when run from one folder.
const defaultDB = "sqlite:data/fleet.db"

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{DB: defaultDB}
	if v := getenv("FLEET_DB"); v != "" {
		cfg.DB = v
	}
	if v := getenv("FLEET_BCRYPT_COST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 4 || n > 31 {
			return cfg, fmt.Errorf("FLEET_BCRYPT_COST must be a number from 4 to 31, got %q", v)
		}
		cfg.BcryptCost = n
	}
	return cfg, nil
}

// cli is one run of fleetctl: its settings and standard streams.
type cli struct {
	cfg    config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// flags returns a flag set that also takes the global -db, so it may stand before or after the
// command.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.cfg.DB, "db", c.cfg.DB, "database URL: sqlite:PATH or mysql://user:pass@host:port/db (env FLEET_DB, default "+defaultDB+")")
	fs.Lookup("db").DefValue = "" // the usage must not print a FLEET_DB with its password
	return fs
}

// parse parses args into fs, allowing flags after positional arguments (user passwd NAME
// -password P), and returns the positional arguments. want is how many there must be.
func (c *cli) parse(fs *flag.FlagSet, args []string, want int, synopsis string) ([]string, error) {
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "usage: fleetctl %s\n", synopsis)
		fs.PrintDefaults()
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagErr(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != want {
		fs.Usage()
		return nil, fmt.Errorf("%s: want %d argument(s), got %d", fs.Name(), want, len(pos))
	}
	return pos, nil
}

// flagErr turns a flag parsing error into fleetctl's: -h is no failure, anything else was already
// printed by the flag package together with the usage.
func flagErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return errUsage
}

// errHelp ends a command whose usage was asked for; run reports it as success.
var errHelp = errors.New("help shown")
