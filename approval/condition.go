package approval

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A condition decides whether a step applies to a request, from the request's fields:
//
//	amount > 100000 && kind in ['vehicle_renewal','vehicle_addition']
//
// The language has comparisons (= == != < <= > >=), && || ! and parentheses, `in [...]` over a
// list of literals, numbers, 'strings' (or "strings"), true, false and field names. It is parsed
// by hand into a small tree, bounded in length and nesting, and evaluated without reflection.

// Bounds of a condition.
const (
	MaxConditionLen   = 1000 // bytes
	MaxConditionDepth = 20   // nesting of parentheses and !
	maxListItems      = 100
	maxNumberLen      = 32
	maxIdentLen       = 64
)

// ConditionError is a problem at a place in a condition's text.
type ConditionError struct {
	Pos int // 1-based character position
	Msg string
}

// Error implements error.
func (e *ConditionError) Error() string { return "position " + strconv.Itoa(e.Pos) + ": " + e.Msg }

// Condition is a parsed condition; the zero of *Condition (nil) always holds.
type Condition struct {
	src  string
	root node
}

// String returns the condition in a canonical form that parses to the same tree.
func (c *Condition) String() string {
	if c == nil {
		return ""
	}
	return c.root.String()
}

// ParseCondition parses src; an empty (or blank) src gives nil, a condition that always holds.
func ParseCondition(src string) (*Condition, error) {
	if len(src) > MaxConditionLen {
		return nil, &ConditionError{Pos: 1, Msg: "longer than " + strconv.Itoa(MaxConditionLen) + " bytes"}
	}
	if !utf8.ValidString(src) {
		return nil, &ConditionError{Pos: 1, Msg: "not valid UTF-8"}
	}
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	p := &parser{src: src}
	if err := p.lex(); err != nil {
		return nil, err
	}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errAt(t, "unexpected "+t.String())
	}
	return &Condition{src: src, root: root}, nil
}

// Eval reports whether the condition holds for fields. A field the condition reads but fields
// lacks is an error (a step is never skipped by accident), unless && or || decided without it.
func (c *Condition) Eval(fields map[string]any) (bool, error) {
	if c == nil {
		return true, nil
	}
	v, err := c.root.eval(fields)
	if err != nil {
		return false, err
	}
	if v.kind != kBool {
		return false, errors.New("the condition gives " + v.kind.String() + ", not true or false")
	}
	return v.b, nil
}

// Values.

type kind int

const (
	kNum kind = iota + 1
	kStr
	kBool
)

func (k kind) String() string {
	switch k {
	case kNum:
		return "a number"
	case kStr:
		return "a string"
	}
	return "true/false"
}

type value struct {
	kind kind
	n    float64
	s    string
	b    bool
}

// valueOf converts a field value: numbers of any Go type (and json.Number-like strings only when
// typed as such), strings and booleans.
func valueOf(v any) (value, error) {
	switch x := v.(type) {
	case float64:
		return value{kind: kNum, n: x}, nil
	case float32:
		return value{kind: kNum, n: float64(x)}, nil
	case int:
		return value{kind: kNum, n: float64(x)}, nil
	case int8:
		return value{kind: kNum, n: float64(x)}, nil
	case int16:
		return value{kind: kNum, n: float64(x)}, nil
	case int32:
		return value{kind: kNum, n: float64(x)}, nil
	case int64:
		return value{kind: kNum, n: float64(x)}, nil
	case uint:
		return value{kind: kNum, n: float64(x)}, nil
	case uint8:
		return value{kind: kNum, n: float64(x)}, nil
	case uint16:
		return value{kind: kNum, n: float64(x)}, nil
	case uint32:
		return value{kind: kNum, n: float64(x)}, nil
	case uint64:
		return value{kind: kNum, n: float64(x)}, nil
	case interface{ Float64() (float64, error) }: // json.Number
		f, err := x.Float64()
		if err != nil {
			return value{}, errors.New("not a number")
		}
		return value{kind: kNum, n: f}, nil
	case string:
		if len(x) > 1000 {
			return value{}, errors.New("text longer than 1000 bytes")
		}
		return value{kind: kStr, s: x}, nil
	case bool:
		return value{kind: kBool, b: x}, nil
	}
	return value{}, errors.New("must be a number, a string or true/false")
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// or := and ('||' and)*
func (p *parser) or(depth int) (node, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOr {
		op := p.next()
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = &logic{op: "||", pos: op.pos, l: left, r: right}
	}
	return left, nil
}

// and := unary ('&&' unary)*
func (p *parser) and(depth int) (node, error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tAnd {
		op := p.next()
		right, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		left = &logic{op: "&&", pos: op.pos, l: left, r: right}
	}
	return left, nil
}

// unary := '!' unary | comparison
func (p *parser) unary(depth int) (node, error) {
	if t := p.peek(); t.kind == tNot {
		if depth >= MaxConditionDepth {
			return nil, p.errAt(t, "nested deeper than "+strconv.Itoa(MaxConditionDepth))
		}
		p.next()
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &not{pos: t.pos, x: x}, nil
	}
	return p.comparison(depth)
}

// comparison := operand (op operand | 'in' list)?
func (p *parser) comparison(depth int) (node, error) {
	left, err := p.operand(depth)
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); t.kind {
	case tOp:
		p.next()
		right, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "==" {
			op = "="
		}
		if op == "!=" || op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=" {
			return &compare{op: op, pos: t.pos, l: left, r: right}, nil
		}
		return nil, p.errAt(t, "unknown operator "+strconv.Quote(t.text))
	case tIn:
		p.next()
		list, err := p.list()
		if err != nil {
			return nil, err
		}
		return &in{pos: t.pos, x: left, list: list}, nil
	}
	return left, nil
}

// operand := number | string | true | false | field | '(' or ')'
func (p *parser) operand(depth int) (node, error) {
	t := p.next()
	switch t.kind {
	case tNum:
		return &lit{v: value{kind: kNum, n: t.num}, text: t.text}, nil
	case tStr:
		return &lit{v: value{kind: kStr, s: t.text}}, nil
	case tTrue, tFalse:
		return &lit{v: value{kind: kBool, b: t.kind == tTrue}}, nil
	case tIdent:
		return &field{name: t.text, pos: t.pos}, nil
	case tLParen:
		if depth >= MaxConditionDepth {
			return nil, p.errAt(t, "nested deeper than "+strconv.Itoa(MaxConditionDepth))
		}
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errAt(c, "expected ) to close the ( at position "+strconv.Itoa(p.errAt(t, "").Pos)+", found "+c.String())
		}
		return &paren{x: x}, nil
	}
	return nil, p.errAt(t, "expected a value or a field name, found "+t.String())
}

// list := '[' (literal (',' literal)*)? ']'
func (p *parser) list() ([]*lit, error) {
	if t := p.next(); t.kind != tLBrack {
		return nil, p.errAt(t, "expected [ after in, found "+t.String())
	}
	var out []*lit
	for {
		t := p.next()
		switch t.kind {
		case tRBrack:
			if len(out) == 0 {
				return out, nil
			}
			return nil, p.errAt(t, "expected a value after the comma")
		case tNum:
			out = append(out, &lit{v: value{kind: kNum, n: t.num}, text: t.text})
		case tStr:
			out = append(out, &lit{v: value{kind: kStr, s: t.text}})
		default:
			return nil, p.errAt(t, "a list holds numbers and strings, found "+t.String())
		}
		if len(out) > maxListItems {
			return nil, p.errAt(t, "a list holds at most "+strconv.Itoa(maxListItems)+" values")
		}
		switch t := p.next(); t.kind {
		case tComma:
		case tRBrack:
			return out, nil
		default:
			return nil, p.errAt(t, "expected , or ] in the list, found "+t.String())
		}
	}
}
