// Command fleetctl is the platform's admin CLI: migrations, units, users, vehicle and driver
// imports (CSV or XLSX), the demo county, backups and restores.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "fleetctl: %v\n", err)
		os.Exit(1)
	}
}

const usage = `fleetctl: admin CLI of the official-vehicle platform

Usage: fleetctl [-db URL] COMMAND [ARGS]

Commands:
  migrate                               apply pending schema migrations
  unit add -name N [-parent P] [-code C]
                                        add a unit (parent by id or exact name)
  unit list                             list units as a tree
  user add -username U -name N -role R -unit UNIT [-phone P] [-password P]
                                        add a user (unit by id or exact name); without
                                        -password the first line of stdin is the password,
                                        and when stdin is empty one is generated and printed
  user passwd USERNAME [-password P]    set a user's password (same rules as user add)
  user disable USERNAME                 disable a user and end their sessions
  user enable USERNAME                  enable a user again
  user list [-role R] [-unit UNIT] [-q TEXT]
                                        list users
  seed demo [-password P]               create the fictional demo county (idempotent) and
                                        print its logins; the default password is
                                        fleet-demo-2026: demo data is not for production
  import vehicles FILE [--skip-bad] [--dry-run]
  import drivers FILE [--skip-bad] [--dry-run]
                                        import a .csv (UTF-8 or GBK) or .xlsx file whose
                                        first row names the columns, in English or Chinese;
                                        a file with bad rows imports nothing unless --skip-bad
  backup [-o FILE]                      write a consistent backup while fleetd runs: SQLite,
                                        a copy of the database file; MySQL, one SQL dump the
                                        mariadb client can load too (FILE.gz is compressed,
                                        - is stdout; default fleet-backup-TIME.db or .sql.gz)
  backup -verify FILE                   check a backup file without a database
  restore FILE [--force]                load a backup into an empty database (stop fleetd
                                        first); --force drops the tables it has
  help                                  show this text

Roles: admin dispatcher driver leader staff office_manager canteen_manager energy_manager auditor

Environment:
  FLEET_DB            database, sqlite:PATH or mysql://user:pass@host:port/db
                      (default sqlite:data/fleet.db; the -db flag wins)
  FLEET_BCRYPT_COST   bcrypt cost of new passwords (default 10; tests use 4)
`

// errUsage is returned for a command line fleetctl does not understand (after printing usage).
var errUsage = errors.New("bad usage; see fleetctl help")

// run is fleetctl: it parses args (args[0] is the program name), runs one command and returns its
// error; it never exits the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	c := &cli{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr}
	fs := c.flags("fleetctl")
	fs.Usage = func() {} // printed below, to stdout when asked for
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil
		}
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if err := c.command(ctx, rest[0], rest[1:]); err != nil && !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

// command runs the command named cmd.
func (c *cli) command(ctx context.Context, cmd string, args []string) error {
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(c.stdout, usage)
		return nil
	case "migrate":
		return c.migrate(ctx, args)
	case "unit":
		return c.sub(ctx, cmd, args, commands{"add": c.unitAdd, "list": c.unitList})
	case "user":
		return c.sub(ctx, cmd, args, commands{
			"add": c.userAdd, "passwd": c.userPasswd, "disable": c.userDisable, "enable": c.userEnable, "list": c.userList,
		})
	case "seed":
		return c.sub(ctx, cmd, args, commands{"demo": c.seedDemo})
	case "import":
		return c.sub(ctx, cmd, args, commands{"vehicles": c.importVehicles, "drivers": c.importDrivers})
	case "backup":
		return c.backup(ctx, args)
	case "restore":
		return c.restore(ctx, args)
	}
	fmt.Fprint(c.stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// commands maps subcommand names to what runs them.
type commands map[string]func(ctx context.Context, args []string) error

// sub runs the subcommand of group named by args[0].
func (c *cli) sub(ctx context.Context, group string, args []string, cmds commands) error {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return fmt.Errorf("%s: missing subcommand", group)
	}
	fn, ok := cmds[args[0]]
	if !ok {
		fmt.Fprint(c.stderr, usage)
		return fmt.Errorf("unknown command %q", group+" "+args[0])
	}
	return fn(ctx, args[1:])
}
