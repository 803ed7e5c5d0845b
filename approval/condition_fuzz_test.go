package approval_test

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"fleet/approval"
)

// FuzzCondition feeds arbitrary text to the condition parser: it never panics, refuses with a
// positioned ConditionError, and what it accepts evaluates without panicking and prints in a
// canonical form that parses back to the same form.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{
		"amount > 100000 && kind in ['vehicle_renewal','vehicle_addition']",
		"amount > 500000",
		"!(kind in ['goods', 'services']) || urgent",
		"(a = 1 || b != 'x') && !(c <= -2.5)",
		`note = 'it\'s' && other = "q\"uote"`,
		"kind in []",
		"((((a))))",
		"a = ",
		"'unterminated",
		"amount >= 1 & kind",
	} {
		f.Add(s)
	}
	fields := map[string]any{"amount": 168000.0, "kind": "vehicle_renewal", "urgent": false, "a": json.Number("1"), "b": "x", "c": -3}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := approval.ParseCondition(src)
		if err != nil {
			var ce *approval.ConditionError
			if !errors.As(err, &ce) {
				t.Fatalf("ParseCondition(%q): error %v is not a ConditionError", src, err)
			}
			if ce.Pos < 1 || ce.Pos > utf8.RuneCountInString(src)+1 {
				t.Fatalf("ParseCondition(%q): position %d outside the text", src, ce.Pos)
			}
			return
		}
		c.Eval(fields) // must not panic; errors (missing fields, kinds) are fine
		canon := c.String()
		if len(canon) > approval.MaxConditionLen {
			return // printing spaces out operators may pass the length limit
		}
		c2, err := approval.ParseCondition(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if got := c2.String(); got != canon {
			t.Fatalf("canonical form is not stable: %q → %q", canon, got)
		}
	})
}
