package store

import (
	"errors"
	"strings"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"fleet"
)

// IsDuplicate reports whether err is a unique-key violation, on either dialect.
func IsDuplicate(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "Duplicate entry")
}

// IsForeignKey reports whether err is a foreign-key violation, on either dialect (gorm does not
// translate every SQLite form of it).
func IsForeignKey(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "foreign key constraint fails")
}

// IsNotFound reports whether err is gorm's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// Like returns a LIKE pattern matching s anywhere, with its wildcards made literal; use it with
// "col LIKE ? ESCAPE '!'" (one escape character that both dialects read the same way).
func Like(s string) string {
	return "%" + strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s) + "%"
}

// MySQL errors for a value its column cannot hold, which MariaDB's strict mode refuses where
// SQLite stores it: each message names the column.
var columnErrors = map[uint16]string{
	1264: "out of range", // Out of range value for column 'x' at row 1
	1366: "not storable", // Incorrect string value: '\xF0...' for column `db`.`t`.`x` at row 1
	1406: "too long",     // Data too long for column 'x' at row 1
}

// InputError turns a MySQL error for a value its column cannot hold (too long, out of range,
// not storable in the column's character set) into an EInvalid error naming the column: bad
// input that a service's validation let through is still the caller's 400, not a 500. Other
// errors give nil.
func InputError(err error) *fleet.Error {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return nil
	}
	problem, ok := columnErrors[me.Number]
	if !ok {
		return nil
	}
	column := columnOf(me.Message)
	if column == "" {
		return nil
	}
	return &fleet.Error{Code: fleet.EInvalid, Message: column + ": " + problem, Fields: map[string]string{column: problem}}
}

// columnOf reads the column a MySQL message names: "column 'x'" or "column `db`.`t`.`x`".
func columnOf(msg string) string {
	_, rest, ok := strings.Cut(msg, "for column ")
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, " at row")
	rest = strings.TrimSpace(rest)
	if i := strings.LastIndex(rest, "."); i >= 0 {
		rest = rest[i+1:]
	}
	return strings.Trim(rest, "'`")
}
