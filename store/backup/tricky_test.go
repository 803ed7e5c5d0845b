package backup_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

// probeDDL is a table with a column of each kind a dump must carry exactly, a generated column
// (not dumped, computed again on load) and a foreign key to units.
var probeDDL = map[string]string{
	store.MySQL: "CREATE TABLE backup_probe (" +
		"id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, label VARCHAR(100) NOT NULL, txt LONGTEXT NULL, " +
		"bin LONGBLOB NULL, vb VARBINARY(32) NULL, at DATETIME(3) NULL, day DATE NULL, f FLOAT NULL, " +
		"d DOUBLE NULL, amount DECIMAL(14,4) NULL, flag TINYINT(1) NULL, big BIGINT UNSIGNED NULL, " +
		"tm TIME NULL, js JSON NULL, unit_id BIGINT NULL, twice BIGINT AS (id * 2) VIRTUAL, " +
		"CONSTRAINT fk_probe_unit FOREIGN KEY (unit_id) REFERENCES units (id)" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
	store.SQLite: "CREATE TABLE backup_probe (" +
		"id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, txt TEXT, bin BLOB, vb BLOB, " +
		"at DATETIME, day DATE, f REAL, d REAL, amount NUMERIC, flag INTEGER, big INTEGER, tm TEXT, " +
		"js TEXT, unit_id INTEGER REFERENCES units (id), twice INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL)",
}

// trickyTexts break naive dumps: quotes, backslashes, control bytes, comment and statement
// lookalikes, four-byte UTF-8, the empty string, and a text longer than one INSERT.
var trickyTexts = []string{
	`O'Brien said "hi" ''`,
	`C:\path\to\file \' \\' \n \0`,
	"line1\nline2\r\nline3\ttab",
	"nul\x00byte and ctrl-z \x1a end",
	"县机关事务管理中心 🚗🚓 👩‍👩‍👧 𠮷",
	"'); DROP TABLE users; --",
	"/* not a comment */ -- nor this ; # nor this",
	"",
	strings.Repeat("长文本 long text ", 150_000), // 3.3 MB
}

// trickyBlobs are bytes that are no text at all.
var trickyBlobs = [][]byte{
	allBytes(),
	{0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1}, // invalid UTF-8
	{0x00},
	{'\'', '\\', ';', 0x1a},
	{},
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

const probeInsert = "INSERT INTO backup_probe (id, label, txt, bin, vb, at, day, f, d, amount, flag, big, tm, js, unit_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

// addTrickyRows makes the probe table and fills it, gives some demo rows awkward text, and stores
// a few positions (a partitioned table on MySQL).
func addTrickyRows(t *testing.T, db *store.DB) {
	t.Helper()
	exec(t, db, probeDDL[db.Dialect])
	var unit int64
	if err := db.Raw("SELECT MIN(id) FROM units").Scan(&unit).Error; err != nil || unit == 0 {
		t.Fatalf("demo units missing: %v", err)
	}
	at := time.Date(2026, 11, 27, 8, 5, 9, 123_000_000, time.UTC)
	err := db.Transaction(func(tx *gorm.DB) error {
		if db.Dialect == store.MySQL { // so that the row with id 0 keeps it
			if err := tx.Exec("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')").Error; err != nil {
				return err
			}
			defer tx.Exec("SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_AUTO_VALUE_ON_ZERO', '')")
		}
		rows := [][]any{
			{0, "id zero", "zero", nil, nil, at, at, 0, 0, "0", 0, 0, "00:00:00", "{}", unit},
			{nil, "all null", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
			{nil, "numbers", "n", nil, []byte{1, 2}, at.Add(time.Millisecond), at, float32(math.MaxFloat32), 1e-300, "-1234567890.1234", 1, biggest(db.Dialect), "-838:59:59", `{"a":[1,"x'y\\z"]}`, unit},
			{nil, "small float", "s", nil, nil, at, at, float32(0.1), math.Pi, "0.0001", 0, 0, "12:34:56", "null", nil},
		}
		for i, s := range trickyTexts {
			rows = append(rows, []any{nil, fmt.Sprintf("text %d", i), s, []byte(s), nil, at, at, nil, nil, nil, nil, nil, nil, nil, unit})
		}
		for i, b := range trickyBlobs {
			rows = append(rows, []any{nil, fmt.Sprintf("blob %d", i), nil, b, b[:min(len(b), 32)], nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})
		}
		for i := range 5000 { // many ordinary rows: several INSERT statements
			rows = append(rows, []any{nil, fmt.Sprintf("row %d", i), strings.Repeat("填充 padding ", 20), nil, nil, at.Add(time.Duration(i) * time.Second), at, float32(i) / 7, float64(i) / 7, fmt.Sprintf("%d.%04d", i, i), i % 2, uint64(i), "01:02:03", nil, unit})
		}
		for _, r := range rows {
			if err := tx.Exec(probeInsert, r...).Error; err != nil {
				return fmt.Errorf("insert %v: %w", r[1], err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("probe rows: %v", err)
	}
	exec(t, db, "UPDATE units SET name = ? WHERE id = ?", `县委 "O'Brien" \ 🚗`, unit)
	exec(t, db, "UPDATE users SET name = ? WHERE id = (SELECT id FROM (SELECT MIN(id) AS id FROM users) AS m)", "张三\\n 👩‍💻 '; --")
	var vehicle int64
	if err := db.Raw("SELECT MIN(id) FROM vehicles").Scan(&vehicle).Error; err != nil || vehicle == 0 {
		t.Fatalf("demo vehicles missing: %v", err)
	}
	for i := range 50 {
		fix := at.Add(time.Duration(i) * 1500 * time.Millisecond)
		exec(t, db, "INSERT INTO positions (vehicle_id, fixed_at, lat, lng, speed_kmh, course, mileage_km, received_at) VALUES (?,?,?,?,?,?,?,?)",
			vehicle, fix, 27.8+float64(i)/1e4, 114.4+float64(i)/1e4, float32(i)*1.1, i*7, nil, fix.Add(time.Second))
	}
}

// biggest is the largest integer the dialect's big column takes (BIGINT UNSIGNED on MySQL).
func biggest(dialect string) any {
	if dialect == store.MySQL {
		return uint64(math.MaxUint64)
	}
	return int64(math.MaxInt64)
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if err := db.Exec(q, args...).Error; err != nil {
		t.Fatalf("%.80s: %v", q, err)
	}
}
