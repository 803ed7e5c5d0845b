package main

import (
	"context"
	"fmt"
	"log/slog"

	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
)

// app is an open, migrated database and the services on it.
type app struct {
	db    *store.DB
	auth  *auth.Service
	fleet *dispatch.Service
}

// logger writes the services' warnings and errors (a failed audit write) to stderr.
func (c *cli) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openDB opens the configured database without migrating it. gorm's log stays off: it would log
// every refused insert (a duplicate name) that the command already reports in its own words.
func (c *cli) openDB(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, store.Config{URL: c.cfg.DB})
}

// open opens and migrates the database and builds the services; close it when done.
func (c *cli) open(ctx context.Context) (*app, error) {
	db, err := c.openDB(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a := auth.NewService(db, auth.Options{BcryptCost: c.cfg.BcryptCost, Logger: c.logger()})
	return &app{db: db, auth: a, fleet: dispatch.NewService(db, a)}, nil
}

func (a *app) Close() error { return a.db.Close() }

// rehearse runs fn with a dispatch service inside a transaction that is always rolled back: a dry
// run goes through every check of the real import, the database's own included, and writes nothing.
// Nothing is audited (there is nothing to audit).
func (a *app) rehearse(ctx context.Context, fn func(svc *dispatch.Service) error) error {
	tx := a.db.WithContext(ctx).Begin()
	if tx.Error != nil {
		return fmt.Errorf("begin dry run: %w", tx.Error)
	}
	defer tx.Rollback()
	return fn(dispatch.NewService(&store.DB{DB: tx, Dialect: a.db.Dialect}, nil))
}
