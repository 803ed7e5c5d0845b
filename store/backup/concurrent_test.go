package backup_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
)

// pairsDDL is a table written in pairs: each transaction adds rows (k,'a') and (k,'b'), so a
// consistent snapshot never holds one without the other.
const pairsDDL = "CREATE TABLE backup_pairs (k BIGINT NOT NULL, side CHAR(1) NOT NULL, pad VARCHAR(400) NOT NULL, PRIMARY KEY (k, side))"

// TestBackupWhileWriting takes backups while a writer keeps committing: each backup is a
// consistent snapshot (SQLite: the copy passes integrity_check; both: no half-written pair).
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exec(t, db, pairsDDL)
		pad := strings.Repeat("x", 400)
		err := db.Transaction(func(tx *gorm.DB) error { // some bulk, so that a copy takes a while
			for k := range 2000 {
				if err := insertPair(tx, int64(-k-1), pad); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var committed atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var werr error
		wg.Go(func() {
			for k := int64(1); ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				if werr = db.Transaction(func(tx *gorm.DB) error { return insertPair(tx, k, pad) }); werr != nil {
					return
				}
				committed.Store(k)
			}
		})
		dir := t.TempDir()
		var paths []string // backups during which the writer committed
		for i := 0; i < 30 && len(paths) < 2; i++ {
			before := committed.Load()
			path := filepath.Join(dir, fmt.Sprintf("b%d", i))
			if _, err := backup.Write(ctx, db, path, nil); err != nil {
				t.Fatalf("backup %d: %v", i, err)
			}
			if committed.Load() > before {
				paths = append(paths, path)
			}
		}
		close(stop)
		wg.Wait()
		if werr != nil {
			t.Fatalf("writer: %v", werr)
		}
		if len(paths) == 0 {
			t.Fatal("the writer committed nothing while 30 backups ran: the test proves nothing")
		}
		for _, p := range paths {
			checkPairs(t, db.Dialect, p)
		}
	})
}

func insertPair(tx *gorm.DB, k int64, pad string) error {
	return tx.Exec("INSERT INTO backup_pairs (k, side, pad) VALUES (?, 'a', ?), (?, 'b', ?)", k, pad, k, pad).Error
}

// checkPairs restores the backup at path and checks it: whole pairs only, the bulk all there,
// and on SQLite a clean integrity_check of the copy itself.
func checkPairs(t *testing.T, dialect, path string) {
	t.Helper()
	ctx := context.Background()
	target := emptyDB(t, dialect)
	if _, err := backup.Restore(ctx, target, path, backup.RestoreOptions{}); err != nil {
		t.Fatalf("restore %s: %v", filepath.Base(path), err)
	}
	if dialect == store.SQLite {
		copyDB, err := store.Open(ctx, store.Config{URL: "sqlite:" + path})
		if err != nil {
			t.Fatal(err)
		}
		var res string
		copyDB.Raw("PRAGMA integrity_check").Scan(&res)
		copyDB.Close()
		if res != "ok" {
			t.Errorf("%s: integrity_check = %q, want ok", filepath.Base(path), res)
		}
	}
	var half, bulk int64
	target.Raw("SELECT COUNT(*) FROM (SELECT k FROM backup_pairs GROUP BY k HAVING COUNT(*) <> 2) AS h").Scan(&half)
	target.Raw("SELECT COUNT(*) FROM backup_pairs WHERE k < 0").Scan(&bulk)
	if half != 0 || bulk != 4000 {
		t.Errorf("%s: %d half pairs and %d bulk rows, want 0 and 4000", filepath.Base(path), half, bulk)
	}
}
