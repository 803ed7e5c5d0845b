package demo

import (
	"context"
	"fmt"

	"fleet/store"
)

// historyStore returns the database the history writes through, and how to let it go. On SQLite
// it is a connection of its own to the same file that commits without waiting for the disk
// (synchronous=NORMAL: the write-ahead log keeps the file sound; a power cut during the seed may
// lose its last commits). The history commits thousands of times, and a flush each time would
// make the first start wait tens of seconds. It is one connection, so that the setting holds for
// every statement; the history does one thing at a time. On MySQL it is db itself.
func historyStore(ctx context.Context, db *store.DB) (*store.DB, func(), error) {
	if db.Dialect != store.SQLite {
		return db, func() {}, nil
	}
	var files []struct {
		Seq  int
		Name string
		File string
	}
	if err := db.WithContext(ctx).Raw("PRAGMA database_list").Scan(&files).Error; err != nil {
		return nil, nil, err
	}
	path := ""
	for _, f := range files {
		if f.Name == "main" {
			path = f.File
		}
	}
	if path == "" {
		return nil, nil, fmt.Errorf("the SQLite database has no file")
	}
	hdb, err := store.Open(ctx, store.Config{URL: "sqlite:" + path})
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := hdb.DB.DB()
	if err == nil {
		sqlDB.SetMaxOpenConns(1)
		err = hdb.WithContext(ctx).Exec("PRAGMA synchronous = NORMAL").Error
	}
	if err != nil {
		hdb.Close()
		return nil, nil, err
	}
	return hdb, func() { hdb.Close() }, nil
}
