package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one step of schema history. Steps are never edited once released: a change is a
// new step. MySQL commits DDL at once, so each step must be safe to run again after a crash.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB, dialect string) error
}

// schemaVersion records an applied migration.
type schemaVersion struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:100;not null"`
	AppliedAt time.Time
}

func (schemaVersion) TableName() string { return "schema_versions" }

// Migrate applies every pending migration in order and returns how many it applied.
// Several instances may start at once: on MySQL a named lock lets one of them migrate.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	applied := 0
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A new session, so each chain below starts clean on the one held connection.
		conn = conn.Session(&gorm.Session{})
		if db.Dialect == MySQL {
			var got int
			if err := conn.Raw("SELECT GET_LOCK('fleet_migrate', 120)").Scan(&got).Error; err != nil {
				return fmt.Errorf("store: migrate lock: %w", err)
			}
			if got != 1 {
				return fmt.Errorf("store: migrate lock: another instance holds it")
			}
			defer conn.Exec("SELECT RELEASE_LOCK('fleet_migrate')")
		}
		if !conn.Migrator().HasTable(&schemaVersion{}) {
			if err := conn.Migrator().CreateTable(&schemaVersion{}); err != nil {
				return fmt.Errorf("store: create schema_versions: %w", err)
			}
		}
		var done []int
		if err := conn.Model(&schemaVersion{}).Pluck("version", &done).Error; err != nil {
			return fmt.Errorf("store: read schema_versions: %w", err)
		}
		have := make(map[int]bool, len(done))
		for _, v := range done {
			have[v] = true
		}
		for _, m := range migrations {
			if have[m.version] {
				continue
			}
			run := func(tx *gorm.DB) error {
				if err := m.up(tx, db.Dialect); err != nil {
					return err
				}
				return tx.Create(&schemaVersion{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}).Error
			}
			var err error
			if db.Dialect == SQLite {
				err = conn.Transaction(run)
			} else {
				err = run(conn)
			}
			if err != nil {
				return fmt.Errorf("store: migration %d %s: %w", m.version, m.name, err)
			}
			applied++
		}
		return nil
	})
	return applied, err
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.WithContext(ctx).Model(&schemaVersion{}).Select("COALESCE(MAX(version),0)").Scan(&v).Error
	return v, err
}

// LatestVersion is the newest migration this binary knows.
func LatestVersion() int { return migrations[len(migrations)-1].version }

// createTables creates each table that does not exist yet.
func createTables(tx *gorm.DB, tables ...any) error {
	m := tx.Migrator()
	for _, t := range tables {
		if m.HasTable(t) {
			continue
		}
		if err := m.CreateTable(t); err != nil {
			return err
		}
	}
	return nil
}
