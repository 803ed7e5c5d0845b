package approval

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The lexer: a condition's text as tokens, each with its byte offset for error positions.

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tStr
	tIdent
	tOp     // = == != < <= > >=
	tAnd    // &&
	tOr     // ||
	tNot    // !
	tLParen // (
	tRParen // )
	tLBrack // [
	tRBrack // ]
	tComma
	tIn
	tTrue
	tFalse
)

type token struct {
	kind tokKind
	pos  int // byte offset
	text string
	num  float64
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of condition"
	case tStr:
		return "string " + strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) errPos(pos int, msg string) *ConditionError {
	return &ConditionError{Pos: utf8.RuneCountInString(p.src[:pos]) + 1, Msg: msg}
}

func (p *parser) errAt(t token, msg string) *ConditionError { return p.errPos(t.pos, msg) }

// lex splits src into tokens.
func (p *parser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']' || c == ',':
			k := tComma
			switch c {
			case '(':
				k = tLParen
			case ')':
				k = tRParen
			case '[':
				k = tLBrack
			case ']':
				k = tRBrack
			}
			p.toks = append(p.toks, token{kind: k, pos: i, text: string(c)})
			i++
		case c == '&' || c == '|':
			if i+1 >= len(s) || s[i+1] != c {
				return p.errPos(i, "'"+string(c)+"' must be doubled ("+string(c)+string(c)+")")
			}
			k := tAnd
			if c == '|' {
				k = tOr
			}
			p.toks = append(p.toks, token{kind: k, pos: i, text: s[i : i+2]})
			i += 2
		case c == '=' || c == '<' || c == '>' || c == '!':
			n := 1
			if i+1 < len(s) && s[i+1] == '=' {
				n = 2
			}
			text := s[i : i+n]
			k := tOp
			if text == "!" {
				k = tNot
			}
			p.toks = append(p.toks, token{kind: k, pos: i, text: text})
			i += n
		case c == '\'' || c == '"':
			t, next, err := p.lexString(i)
			if err != nil {
				return err
			}
			p.toks = append(p.toks, t)
			i = next
		case c >= '0' && c <= '9' || c == '-' || c == '.':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			text := s[i:j]
			if j-i > maxNumberLen {
				return p.errPos(i, "number too long")
			}
			f, err := strconv.ParseFloat(text, 64)
			if err != nil || text == "-" || strings.HasPrefix(text, "-.") || strings.HasPrefix(text, ".") || strings.HasSuffix(text, ".") {
				return p.errPos(i, "bad number "+strconv.Quote(text))
			}
			p.toks = append(p.toks, token{kind: tNum, pos: i, text: text, num: f})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			text := s[i:j]
			if len(text) > maxIdentLen {
				return p.errPos(i, "field name longer than 64 characters")
			}
			k := tIdent
			switch text {
			case "in":
				k = tIn
			case "true":
				k = tTrue
			case "false":
				k = tFalse
			}
			p.toks = append(p.toks, token{kind: k, pos: i, text: text})
			i = j
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return p.errPos(i, "unexpected character "+strconv.QuoteRune(r))
		}
	}
	p.toks = append(p.toks, token{kind: tEOF, pos: len(s)})
	return nil
}

// lexString reads a quoted string at i; a backslash escapes the quote or a backslash.
func (p *parser) lexString(i int) (token, int, error) {
	s, q := p.src, p.src[i]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == q:
			return token{kind: tStr, pos: i, text: b.String()}, j + 1, nil
		case c == '\\':
			if j+1 >= len(s) || (s[j+1] != q && s[j+1] != '\\') {
				return token{}, 0, p.errPos(j, `a backslash may only escape the quote or a backslash`)
			}
			b.WriteByte(s[j+1])
			j++
		case c == '\n' || c == '\r':
			return token{}, 0, p.errPos(j, "line break inside a string")
		default:
			b.WriteByte(c)
		}
	}
	return token{}, 0, p.errPos(i, "string not closed")
}
