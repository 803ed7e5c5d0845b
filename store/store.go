// Package store opens the platform's database (SQLite or MySQL through gorm) and keeps its schema current.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects of the databases fleet runs on.
const (
	SQLite = "sqlite"
	MySQL  = "mysql"
)

// DB is an open database: gorm plus the dialect it speaks.
type DB struct {
	*gorm.DB
	Dialect string
}

// Config says where the database is: "sqlite:PATH" or "mysql://user:pass@host:port/db".
type Config struct {
	URL    string
	Logger *slog.Logger
}

// Open opens the database named by url, creating a SQLite file and its folder when missing.
// It does not migrate; call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	dialect, dsn, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	gcfg := &gorm.Config{
		Logger:                 gormLogger(cfg.Logger),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
		SkipDefaultTransaction: true,
	}
	var gdb *gorm.DB
	switch dialect {
	case SQLite:
		if dir := filepath.Dir(dsnPath(dsn)); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create folder for %s: %w", dsn, err)
			}
		}
		gdb, err = gorm.Open(sqlite.Open(dsn), gcfg)
	case MySQL:
		gdb, err = gorm.Open(gormmysql.Open(dsn), gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if dialect == SQLite {
		// One writer at a time is SQLite's rule; WAL lets readers go on beside it.
		sqlDB.SetMaxOpenConns(8)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	db := &DB{DB: gdb, Dialect: dialect}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.Dialect, err)
	}
	return nil
}

// Close closes the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// ParseURL turns a FLEET_DB value into a gorm dialect and driver DSN.
func ParseURL(raw string) (dialect, dsn string, err error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(raw, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", errors.New("store: sqlite URL needs a path, as in sqlite:data/fleet.db")
		}
		// WAL for concurrent readers, synchronous=FULL so that a commit survives a power cut (an
		// acknowledged point is never lost), a busy timeout instead of "database is locked",
		// foreign keys on, and write transactions that take the lock at BEGIN.
		return SQLite, "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_synchronous=FULL", nil
	case strings.HasPrefix(raw, "mysql://"):
		u, err := url.Parse(raw)
		if err != nil {
			return "", "", fmt.Errorf("store: bad mysql URL: %w", err)
		}
		c := mysql.NewConfig()
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
		c.Net = "tcp"
		c.Addr = u.Host
		if u.Port() == "" {
			c.Addr = u.Host + ":3306"
		}
		c.DBName = strings.TrimPrefix(u.Path, "/")
		if c.DBName == "" {
			return "", "", errors.New("store: mysql URL needs a database name, as in mysql://user:pass@host:3306/fleet")
		}
		c.ParseTime = true
		c.Loc = time.UTC
		c.Collation = "utf8mb4_unicode_ci"
		c.Params = map[string]string{"charset": "utf8mb4", "time_zone": "'+00:00'"}
		c.Timeout = 5 * time.Second
		c.ReadTimeout = 30 * time.Second
		c.WriteTimeout = 30 * time.Second
		return MySQL, c.FormatDSN(), nil
	}
	return "", "", fmt.Errorf("store: FLEET_DB must start with sqlite: or mysql://, got %q", redact(raw))
}

// dsnPath is the file path of a SQLite DSN.
func dsnPath(dsn string) string {
	p := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// redact hides a password in a URL for error messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}

func gormLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		return logger.Discard
	}
	return logger.NewSlogLogger(l, logger.Config{
		// Under load many statements wait on one another; a low threshold floods the log with
		// lines that say only that (10,000 terminals logging in at once). Metrics show latency.
		SlowThreshold:             5 * time.Second,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	})
}
