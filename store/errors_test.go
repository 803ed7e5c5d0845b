package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"fleet"
	"fleet/store"
	"fleet/store/storetest"
)

// A value its MariaDB column cannot hold is the caller's bad input, naming the column: the
// messages as MariaDB words them, and a real too-long insert.
func TestInputError(t *testing.T) {
	for _, tt := range []struct {
		err    error
		column string
	}{
		{&mysql.MySQLError{Number: 1406, Message: "Data too long for column 'name' at row 1"}, "name"},
		{&mysql.MySQLError{Number: 1264, Message: "Out of range value for column 'cost_fen' at row 1"}, "cost_fen"},
		{&mysql.MySQLError{Number: 1366, Message: "Incorrect string value: '\\xF0\\x9F\\x9A\\x97' for column `fleet`.`units`.`name` at row 1"}, "name"},
		{fmt.Errorf("auth: create unit: %w", &mysql.MySQLError{Number: 1406, Message: "Data too long for column 'code' at row 1"}), "code"},
		{&mysql.MySQLError{Number: 1062, Message: "Duplicate entry 'x' for key 'name'"}, ""},
		{fmt.Errorf("plain"), ""},
	} {
		got := store.InputError(tt.err)
		switch {
		case tt.column == "" && got != nil:
			t.Errorf("InputError(%v) = %v, want nil", tt.err, got)
		case tt.column != "" && (got == nil || got.Code != fleet.EInvalid || got.Fields[tt.column] == ""):
			t.Errorf("InputError(%v) = %v, want invalid naming %s", tt.err, got, tt.column)
		}
	}
	db := storetest.MySQL(t)
	err := db.Exec("INSERT INTO units (name, created_at, updated_at) VALUES (?, NOW(), NOW())", strings.Repeat("长", 101)).Error
	if got := store.InputError(err); got == nil || got.Fields["name"] == "" {
		t.Fatalf("a 101-character unit name on MariaDB: %v → %v, want invalid naming name", err, got)
	}
	if got := store.Errors("auth").Map(err, "unit"); fleet.ErrorCode(got) != fleet.EInvalid {
		t.Errorf("Errors.Map(%v) = %v, want invalid", err, got)
	}
}
