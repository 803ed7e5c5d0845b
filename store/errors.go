package store

import (
	"errors"
	"strings"

	"gorm.io/gorm"
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
