package backup

import (
	"bufio"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// split returns every statement of dump and the comment lines handed over between them.
func split(dump string) (stmts, comments []string, err error) {
	st := newStatements(bufio.NewReader(strings.NewReader(dump)), func(c string) { comments = append(comments, c) })
	for {
		s, err := st.next()
		if errors.Is(err, io.EOF) {
			return stmts, comments, nil
		}
		if err != nil {
			return stmts, comments, err
		}
		stmts = append(stmts, s)
	}
}

func TestStatements(t *testing.T) {
	for _, c := range []struct {
		name     string
		dump     string
		want     []string
		comments []string
	}{
		{"plain", "SET NAMES utf8mb4;\nCREATE TABLE a (x int);\n", []string{"SET NAMES utf8mb4", "CREATE TABLE a (x int)"}, nil},
		{"semicolon in strings", `INSERT INTO t VALUES ('a;b',"c;d");`, []string{`INSERT INTO t VALUES ('a;b',"c;d")`}, nil},
		{"escaped quotes", `INSERT INTO t VALUES ('it\'s; \\',  'O''Brien;');SELECT 1`,
			[]string{`INSERT INTO t VALUES ('it\'s; \\',  'O''Brien;')`, "SELECT 1"}, nil},
		{"backtick names", "CREATE TABLE `a;``b` (`x\\` int);", []string{"CREATE TABLE `a;``b` (`x\\` int)"}, nil},
		{"comments between", "-- fleet backup 1: x\n-- rows `t`: 3\nSELECT 1;\n# hash\n-- end\n",
			[]string{"SELECT 1"}, []string{"-- fleet backup 1: x", "-- rows `t`: 3", "# hash", "-- end"}},
		{"comment inside a statement", "SELECT 1 -- one; two\n, 2;", []string{"SELECT 1 \n, 2"}, nil},
		{"minus minus is arithmetic", "SELECT 1--1;", []string{"SELECT 1--1"}, nil},
		{"block comments", "/* drop; me */ SELECT /* and; me */ 1;", []string{"SELECT   1"}, nil},
		{"executable comments kept", "/*!40101 SET NAMES utf8 */;\n/*M!100101 SET x=1 */;", []string{"/*!40101 SET NAMES utf8 */", "/*M!100101 SET x=1 */"}, nil},
		{"multi-line string", "INSERT INTO t VALUES ('a\nb;\nc');", []string{"INSERT INTO t VALUES ('a\nb;\nc')"}, nil},
		{"mariadb-dump sandbox line", "/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\nSELECT 1;",
			[]string{"SELECT 1"}, []string{"-- MariaDB dump 10.19"}},
		{"last statement without semicolon", "SELECT 1;\nSELECT 2\n", []string{"SELECT 1", "SELECT 2"}, nil},
		{"empty statements", ";;\n;SELECT 1;;", []string{"SELECT 1"}, nil},
		{"utf8", "INSERT INTO t VALUES ('县委 🚗');", []string{"INSERT INTO t VALUES ('县委 🚗')"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, comments, err := split(c.dump)
			if err != nil {
				t.Fatalf("split: %v", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("statements = %q, want %q", got, c.want)
			}
			if !reflect.DeepEqual(comments, c.comments) {
				t.Errorf("comments = %q, want %q", comments, c.comments)
			}
		})
	}
}

func TestStatementsErrors(t *testing.T) {
	for _, c := range []struct{ name, dump, want string }{
		{"unclosed string", "SELECT 1;\nINSERT INTO t VALUES ('abc", "line 2: ' string not closed"},
		{"unclosed escape at end", "INSERT INTO t VALUES ('abc\\", "not closed"},
		{"unclosed comment", "SELECT 1; /* x", "/* comment not closed"},
		{"delimiter", "DELIMITER ;;\nCREATE TRIGGER x;;\n", "DELIMITER"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := split(c.dump)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// FuzzQuotedSplits checks that any bytes, quoted as the dump quotes text, stay inside one
// statement: the splitter never cuts a value or swallows the next statement.
func FuzzQuotedSplits(f *testing.F) {
	for _, s := range []string{"", "a;b", "'", "\\", "\\'", "''", "\x00\x1a\r\n", "-- x\n", "/* y */", "`", "\"", "🚗", "\xff\xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		stmt := "INSERT INTO t VALUES (" + string(appendQuoted(nil, s)) + "," + string(appendHex(nil, s)) + ")"
		got, _, err := split(stmt + ";\nSELECT 1;")
		if err != nil {
			t.Fatalf("split: %v", err)
		}
		if len(got) != 2 || got[0] != stmt || got[1] != "SELECT 1" {
			t.Fatalf("split %q = %q", stmt, got)
		}
	})
}
