package approval

import (
	"errors"
	"strconv"
	"strings"
)

// node is a piece of a parsed condition.
type node interface {
	eval(fields map[string]any) (value, error)
	String() string
}

type lit struct {
	v    value
	text string // a number as written
}

func (n *lit) eval(map[string]any) (value, error) { return n.v, nil }

func (n *lit) String() string {
	if n.v.kind == kNum {
		return n.text
	}
	return literal(n.v)
}

func literal(v value) string {
	switch v.kind {
	case kNum:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case kStr:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v.s) + "'"
	}
	return strconv.FormatBool(v.b)
}

type field struct {
	name string
	pos  int
}

func (n *field) eval(fields map[string]any) (value, error) {
	raw, ok := fields[n.name]
	if !ok {
		return value{}, errors.New("field " + n.name + " is not given")
	}
	v, err := valueOf(raw)
	if err != nil {
		return value{}, errors.New("field " + n.name + ": " + err.Error())
	}
	return v, nil
}

func (n *field) String() string { return n.name }

type paren struct{ x node }

func (n *paren) eval(fields map[string]any) (value, error) { return n.x.eval(fields) }

func (n *paren) String() string { return "(" + n.x.String() + ")" }

type not struct {
	pos int
	x   node
}

func (n *not) eval(fields map[string]any) (value, error) {
	v, err := n.x.eval(fields)
	if err != nil {
		return value{}, err
	}
	if v.kind != kBool {
		return value{}, errors.New("! needs true/false, got " + v.kind.String())
	}
	return value{kind: kBool, b: !v.b}, nil
}

func (n *not) String() string { return "!" + n.x.String() }

type logic struct {
	op   string // && or ||
	pos  int
	l, r node
}

// eval short-circuits: the right side is not read when the left decides.
func (n *logic) eval(fields map[string]any) (value, error) {
	l, err := n.l.eval(fields)
	if err != nil {
		return value{}, err
	}
	if l.kind != kBool {
		return value{}, errors.New(n.op + " needs true/false on its left, got " + l.kind.String())
	}
	if (n.op == "&&" && !l.b) || (n.op == "||" && l.b) {
		return l, nil
	}
	r, err := n.r.eval(fields)
	if err != nil {
		return value{}, err
	}
	if r.kind != kBool {
		return value{}, errors.New(n.op + " needs true/false on its right, got " + r.kind.String())
	}
	return r, nil
}

func (n *logic) String() string { return n.l.String() + " " + n.op + " " + n.r.String() }

type compare struct {
	op   string // = != < <= > >=
	pos  int
	l, r node
}

// eval compares values of one kind; = and != also compare across kinds (never equal), the
// orderings need two numbers or two strings.
func (n *compare) eval(fields map[string]any) (value, error) {
	l, err := n.l.eval(fields)
	if err != nil {
		return value{}, err
	}
	r, err := n.r.eval(fields)
	if err != nil {
		return value{}, err
	}
	switch n.op {
	case "=":
		return value{kind: kBool, b: equal(l, r)}, nil
	case "!=":
		return value{kind: kBool, b: !equal(l, r)}, nil
	}
	if l.kind != r.kind || l.kind == kBool {
		return value{}, errors.New(n.op + " compares two numbers or two strings, got " + l.kind.String() + " and " + r.kind.String())
	}
	var c int
	if l.kind == kNum {
		c = cmpFloat(l.n, r.n)
	} else {
		c = strings.Compare(l.s, r.s)
	}
	var b bool
	switch n.op {
	case "<":
		b = c < 0
	case "<=":
		b = c <= 0
	case ">":
		b = c > 0
	case ">=":
		b = c >= 0
	}
	return value{kind: kBool, b: b}, nil
}

func (n *compare) String() string { return n.l.String() + " " + n.op + " " + n.r.String() }

type in struct {
	pos  int
	x    node
	list []*lit
}

func (n *in) eval(fields map[string]any) (value, error) {
	v, err := n.x.eval(fields)
	if err != nil {
		return value{}, err
	}
	for _, item := range n.list {
		if equal(v, item.v) {
			return value{kind: kBool, b: true}, nil
		}
	}
	return value{kind: kBool, b: false}, nil
}

func (n *in) String() string {
	items := make([]string, len(n.list))
	for i, v := range n.list {
		items[i] = v.String()
	}
	return n.x.String() + " in [" + strings.Join(items, ", ") + "]"
}

func equal(a, b value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kNum:
		return a.n == b.n
	case kStr:
		return a.s == b.s
	}
	return a.b == b.b
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
