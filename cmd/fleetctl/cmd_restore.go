package main

import (
	"context"
	"fmt"

	"fleet/store"
	"fleet/store/backup"
)

// restore loads a backup into the (empty) database.
func (c *cli) restore(ctx context.Context, args []string) error {
	fs := c.flags("restore")
	force := fs.Bool("force", false, "drop every table the database has before restoring: all it holds is lost")
	pos, err := c.parse(fs, args, 1, "restore FILE [--force]")
	if err != nil {
		return err
	}
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := backup.Restore(ctx, db, pos[0], backup.RestoreOptions{Force: *force})
	if err != nil {
		return err
	}
	c.report(c.stdout, "restored "+pos[0], s)
	if s.SchemaVersion == store.LatestVersion() {
		fmt.Fprintln(c.stdout, "  schema version is this release's: fleetd can start on it")
	}
	return nil
}
