package backup

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxStatement bounds one statement of a dump (a server takes at most 1 GiB in one packet).
const maxStatement = 1 << 30

// statements reads the statements of a SQL dump one at a time, cutting where the mariadb client
// does: at a semicolon outside strings, quoted names and comments. Comments are dropped, except
// the executable kinds (/*! … */, /*M! … */, /*+ … */), which the server reads; a "-- " comment
// line between statements is handed to comment, which is how Restore reads the dump's header.
type statements struct {
	r       *bufio.Reader
	comment func(line string)
	line    int  // the line being read, from 1
	start   int  // the line the statement being read began on
	begun   bool // whether it has begun (anything but space and comments read)
	buf     []byte
}

func newStatements(r *bufio.Reader, comment func(string)) *statements {
	return &statements{r: r, comment: comment, line: 1}
}

// next returns the next statement without its semicolon, or io.EOF after the last.
func (s *statements) next() (string, error) {
	s.buf, s.begun = s.buf[:0], false
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return s.end(err)
		}
		switch {
		case c == ';':
			if s.begun {
				return s.statement(bytes.TrimSpace(s.buf))
			}
			continue
		case c == '\'' || c == '"' || c == '`':
			s.begin()
			s.buf = append(s.buf, c)
			err = s.quoted(c)
		case c == '-' && s.dashComment():
			err = s.lineComment("-")
		case c == '#':
			err = s.lineComment("#")
		case c == '/' && s.peek(1) == "*":
			err = s.blockComment()
		default:
			if c == '\n' {
				s.line++
			}
			if !isSpace(c) {
				s.begin()
			}
			if s.begun {
				s.buf = append(s.buf, c)
			}
		}
		if err != nil {
			return "", err
		}
		if len(s.buf) > maxStatement {
			return "", fmt.Errorf("line %d: statement longer than %d bytes", s.start, maxStatement)
		}
	}
}

// end handles the end of input: a last statement may lack its semicolon.
func (s *statements) end(err error) (string, error) {
	if !errors.Is(err, io.EOF) {
		return "", err
	}
	if s.begun {
		return s.statement(bytes.TrimSpace(s.buf))
	}
	return "", io.EOF
}

// begin marks the statement begun at the current line.
func (s *statements) begin() {
	if !s.begun {
		s.begun, s.start = true, s.line
	}
}

func (s *statements) statement(st []byte) (string, error) {
	if len(st) >= 9 && bytes.EqualFold(st[:9], []byte("DELIMITER")) {
		return "", fmt.Errorf("line %d: DELIMITER (triggers or routines) is for the mariadb client: load this dump with it", s.start)
	}
	return string(st), nil
}

// quoted copies a string or quoted name through its closing quote q. A doubled quote stays
// inside; in strings (not in `names`) a backslash escapes the next byte.
func (s *statements) quoted(q byte) error {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return s.unterminated(err, fmt.Sprintf("%c string", q))
		}
		s.buf = append(s.buf, c)
		switch {
		case c == '\n':
			s.line++
		case c == '\\' && q != '`':
			e, err := s.r.ReadByte()
			if err != nil {
				return s.unterminated(err, fmt.Sprintf("%c string", q))
			}
			if e == '\n' {
				s.line++
			}
			s.buf = append(s.buf, e)
		case c == q:
			if s.peek(1) != string(q) {
				return nil
			}
			s.r.ReadByte()
			s.buf = append(s.buf, q)
		}
	}
}

func (s *statements) unterminated(err error, what string) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: %s not closed before the end of the file", s.start, what)
	}
	return err
}

// dashComment says whether the '-' just read starts a "-- " comment: a second dash followed by
// white space or the end (a bare "--1" is arithmetic).
func (s *statements) dashComment() bool {
	p := s.peek(2)
	return len(p) >= 1 && p[0] == '-' && (len(p) == 1 || isSpace(p[1]))
}

// lineComment skips a comment to the end of its line; one standing between statements is handed
// to comment, starting with what opened it.
func (s *statements) lineComment(open string) error {
	rest, err := s.r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if len(rest) > 0 && rest[len(rest)-1] == '\n' {
		s.line++
	}
	if !s.begun {
		if s.comment != nil {
			s.comment(open + trimEOL(rest))
		}
		return nil
	}
	s.buf = append(s.buf, '\n')
	return nil
}

// blockComment handles a /* comment (the '/' read, the '*' next): executable ones are kept.
func (s *statements) blockComment() error {
	s.r.ReadByte() // '*'
	keep := false
	switch s.peek(1) {
	case "!", "+":
		keep = true
	case "M":
		// MariaDB's; but /*M!999999\- enable the sandbox mode */, which newer mariadb-dump
		// writes first, is a command to its client, not to the server.
		p := s.peek(8)
		keep = strings.HasPrefix(p, "M!") && p != "M!999999"
	}
	if keep {
		s.begin()
		s.buf = append(s.buf, '/', '*')
	}
	prev := byte(0)
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return s.unterminated(err, "/* comment")
		}
		if c == '\n' {
			s.line++
		}
		if keep {
			s.buf = append(s.buf, c)
		}
		if prev == '*' && c == '/' {
			if !keep && s.begun {
				s.buf = append(s.buf, ' ')
			}
			return nil
		}
		prev = c
	}
}

// peek returns up to n next bytes without reading them.
func (s *statements) peek(n int) string {
	p, _ := s.r.Peek(n)
	return string(p)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func trimEOL(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
