package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fleet/store"
	"fleet/store/backup"
)

// backup writes a backup of the database, or with -verify checks one.
func (c *cli) backup(ctx context.Context, args []string) error {
	fs := c.flags("backup")
	out := fs.String("o", "", "write the backup to `FILE` (a name ending in .gz is compressed; - is stdout); default fleet-backup-TIME.db (SQLite) or .sql.gz (MySQL) here")
	verify := fs.String("verify", "", "check the backup `FILE` instead of writing one (no database needed)")
	if _, err := c.parse(fs, args, 0, "backup [-o FILE] | backup -verify FILE"); err != nil {
		return err
	}
	if *verify != "" {
		s, err := backup.Inspect(ctx, *verify)
		if err != nil {
			return err
		}
		c.report(c.stdout, "backup "+*verify+" checked: sound", s)
		return nil
	}
	if err := c.sqliteExists(); err != nil {
		return err
	}
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	path := *out
	if path == "" {
		path = backupName(db.Dialect, time.Now())
	}
	s, err := backup.Write(ctx, db, path, c.stdout)
	if err != nil {
		return err
	}
	w := c.stdout
	if path == "-" {
		w = c.stderr // stdout is the backup
	}
	c.report(w, "backup written to "+path, s)
	return nil
}

// backupName is the default file name of a backup taken at t: a SQLite copy, or a gzipped dump.
func backupName(dialect string, t time.Time) string {
	ext := ".db"
	if dialect == store.MySQL {
		ext = ".sql.gz"
	}
	return "fleet-backup-" + t.UTC().Format("20060102T150405Z") + ext
}

// sqliteExists refuses to back up a SQLite database file that is not there (opening it would
// create an empty one).
func (c *cli) sqliteExists() error {
	if !strings.HasPrefix(c.cfg.DB, "sqlite:") {
		return nil
	}
	path := strings.TrimPrefix(strings.TrimPrefix(c.cfg.DB, "sqlite:"), "//")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database to back up: %w (check FLEET_DB)", err)
	}
	return nil
}

// report prints what a backup, check or restore did, and its warnings to stderr.
func (c *cli) report(w io.Writer, what string, s backup.Summary) {
	kind := "SQLite database copy"
	if s.Dialect == store.MySQL {
		kind = "MySQL/MariaDB SQL dump"
	}
	fmt.Fprintf(w, "%s\n  %s, schema version %d: %d tables, %d rows, %s in %s\n",
		what, kind, s.SchemaVersion, s.Tables, s.Rows, byteSize(s.Bytes), s.Duration.Round(time.Millisecond))
	for _, warn := range s.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", warn)
	}
}

// byteSize says n bytes for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
