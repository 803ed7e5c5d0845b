package main

import (
	"context"
	"fmt"
)

// migrate applies pending migrations and says what it did.
func (c *cli) migrate(ctx context.Context, args []string) error {
	if _, err := c.parse(c.flags("migrate"), args, 0, "migrate"); err != nil {
		return err
	}
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	fmt.Fprintf(c.stdout, "applied %d migrations, schema version %d\n", n, v)
	return nil
}
