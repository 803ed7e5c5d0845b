package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"fleet/store"
)

// writeSQLite copies the live database into a new file with SQLite's online backup API, then
// checks the copy and puts it in place (gzipped, or on stdout, when asked).
func writeSQLite(ctx context.Context, db *store.DB, path string, stdout io.Writer) (Summary, error) {
	dir := os.TempDir()
	if path != "-" {
		dir = filepath.Dir(path)
	}
	tmp, err := os.CreateTemp(dir, ".fleet-backup-*.db")
	if err != nil {
		return Summary{}, fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone already once renamed into place
	if err := copyFromLive(ctx, db, tmp.Name()); err != nil {
		return Summary{}, err
	}
	s, err := statSQLiteFile(ctx, tmp.Name(), "quick_check")
	if err != nil {
		return s, err
	}
	if s.SchemaVersion == 0 {
		return s, errors.New("backup: the database has no schema_versions rows: not a fleet database (check FLEET_DB)")
	}
	if path != "-" && !strings.HasSuffix(path, ".gz") {
		s.Bytes, err = placeFile(tmp.Name(), path)
		return s, err
	}
	s.Bytes, err = copyToOutput(tmp.Name(), path, stdout)
	return s, err
}

// copyFromLive runs the backup API from the live database into the empty file dest. It copies
// every page in one step, inside one read transaction of the source: the copy is a consistent
// snapshot, and in WAL mode fleetd's writers go on meanwhile.
func copyFromLive(ctx context.Context, db *store.DB, dest string) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	src, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	ddb, err := sql.Open("sqlite3", "file:"+dest+"?_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer ddb.Close()
	dst, err := ddb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", dest, err)
	}
	defer dst.Close()
	return backupConns(ctx, dst, src)
}

// backupConns copies database "main" of src over "main" of dst with the backup API.
func backupConns(ctx context.Context, dst, src *sql.Conn) error {
	return dst.Raw(func(d any) error {
		return src.Raw(func(s any) error {
			dc, ok1 := d.(*sqlite3.SQLiteConn)
			sc, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return fmt.Errorf("backup: not a go-sqlite3 connection (%T, %T)", d, s)
			}
			return step(ctx, dc, sc)
		})
	})
}

// step runs one whole backup from src to dst, waiting while the destination is locked.
func step(ctx context.Context, dst, src *sqlite3.SQLiteConn) error {
	b, err := dst.Backup("main", src, "main")
	if err != nil {
		return fmt.Errorf("backup: start SQLite backup: %w", err)
	}
	for {
		done, err := b.Step(-1)
		if done {
			break
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || (se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked) {
			b.Finish()
			return fmt.Errorf("backup: SQLite backup step: %w", err)
		}
		select {
		case <-ctx.Done():
			b.Finish()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := b.Finish(); err != nil {
		return fmt.Errorf("backup: finish SQLite backup: %w", err)
	}
	return nil
}

// placeFile makes the finished copy tmp durable and renames it to path; it returns its size.
func placeFile(tmp, path string) (int64, error) {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	err = f.Sync()
	st, serr := f.Stat()
	f.Close()
	if err == nil {
		err = serr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return 0, fmt.Errorf("backup: write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return st.Size(), nil
}

// copyToOutput writes the finished copy tmp through an output (gzip, stdout).
func copyToOutput(tmp, path string, stdout io.Writer) (int64, error) {
	f, err := os.Open(tmp)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	out, err := create(path, stdout)
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(out, f); err != nil {
		out.abort()
		return 0, fmt.Errorf("backup: write %s: %w", path, err)
	}
	return out.commit()
}

// restoreSQLite checks the backup copy, then copies it over the target database with the backup
// API (which replaces every page, so Force needs nothing dropped first) and checks the result.
func restoreSQLite(ctx context.Context, db *store.DB, in *input, opt RestoreOptions) (Summary, error) {
	path, cleanup, err := in.sqliteFile()
	if err != nil {
		return Summary{}, err
	}
	defer cleanup()
	s, err := statSQLiteFile(ctx, path, "integrity_check")
	if err != nil {
		return s, err
	}
	s.Bytes = in.size
	if err := checkVersion(s.SchemaVersion, &s); err != nil {
		return s, err
	}
	if err := ensureEmpty(ctx, db, opt.Force); err != nil {
		return s, err
	}
	if err := copyToLive(ctx, db, path); err != nil {
		return s, err
	}
	sqlDB, err := db.DB.DB()
	if err != nil {
		return s, err
	}
	got, err := statSQLite(ctx, sqlDB, "quick_check")
	if err != nil {
		return s, fmt.Errorf("backup: check the restored database: %w", err)
	}
	if got.Tables != s.Tables || got.Rows != s.Rows {
		return s, fmt.Errorf("backup: the restored database has %d tables and %d rows, the backup %d and %d", got.Tables, got.Rows, s.Tables, s.Rows)
	}
	return s, nil
}

// copyToLive copies the SQLite file at path over the target database.
func copyToLive(ctx context.Context, db *store.DB, path string) error {
	sdb, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer sdb.Close()
	src, err := sdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", path, err)
	}
	defer src.Close()
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	dst, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer dst.Close()
	return backupConns(ctx, dst, src)
}
