package approval_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"fleet/approval"
)

func TestConditionEval(t *testing.T) {
	fields := map[string]any{"amount": 168000, "kind": "vehicle_renewal", "urgent": true, "seats": json.Number("7"), "note": "it's"}
	tests := []struct {
		src  string
		want bool
	}{
		{"", true},
		{"   ", true},
		{"amount > 100000", true},
		{"amount > 100000 && kind in ['vehicle_renewal','vehicle_addition']", true},
		{"amount > 500000 && kind in ['vehicle_renewal','vehicle_addition']", false},
		{"amount <= 168000", true},
		{"amount < 168000", false},
		{"amount >= 168000.0", true},
		{"amount = 168000", true},
		{"amount == 168000", true},
		{"amount != 168000", false},
		{"kind = 'goods' || amount > -1", true},
		{"!(kind in ['goods', 'services'])", true},
		{"!urgent", false},
		{"urgent = true", true},
		{"seats >= 7 && seats < 8", true},
		{"kind in []", false},
		{"kind = \"vehicle_renewal\"", true},
		{`note = 'it\'s'`, true},
		{"kind > 'a'", true},
		{"kind = 5", false}, // different kinds are never equal
		{"kind != 5", true},
		{"(amount > 1 || kind = 'x') && !(amount > 1000000)", true},
		{"amount < 1 && missing > 1", false}, // short-circuit: missing is not read
		{"amount > 1 || missing > 1", true},
		{"kind in ['vehicle_renewal', 1]", true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			c, err := approval.ParseCondition(tt.src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := c.Eval(fields)
			if err != nil {
				t.Fatalf("eval: %v", err)
			}
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConditionErrors(t *testing.T) {
	tests := []struct {
		src     string
		pos     int
		message string
	}{
		{"amount >", 9, "expected a value"},
		{"amount > 1 &", 12, "doubled"},
		{"amount > 1 |", 12, "doubled"},
		{"(amount > 1", 12, "expected )"},
		{"amount > 1)", 11, "unexpected"},
		{"kind in 'a'", 9, "expected ["},
		{"kind in ['a',]", 14, "expected a value after the comma"},
		{"kind in ['a' 'b']", 14, "expected , or ]"},
		{"kind in [amount]", 10, "a list holds numbers and strings"},
		{"kind = 'open", 8, "not closed"},
		{"amount > 1.2.3", 10, "bad number"},
		{"amount ~ 1", 8, "unexpected character"},
		{"金额 > 1", 1, "unexpected character"},
		{"kind = '金' && x = @", 19, "unexpected character"},
		{"amount => 1", 9, "expected a value"},
		{"a = 'x\\y'", 7, "backslash"},
		{strings.Repeat("(", 25) + "a" + strings.Repeat(")", 25), 21, "nested deeper"},
		{strings.Repeat("!", 25) + "a", 21, "nested deeper"},
		{"a = " + strings.Repeat("1", 40), 5, "number too long"},
		{strings.Repeat("a", 65) + " = 1", 1, "longer than 64"},
		{strings.Repeat("a = 1 && ", 200), 1, "longer than"},
		{"a = 1 \xff", 1, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.src[:min(len(tt.src), 40)], func(t *testing.T) {
			_, err := approval.ParseCondition(tt.src)
			var ce *approval.ConditionError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a ConditionError", err)
			}
			if ce.Pos != tt.pos || !strings.Contains(ce.Msg, tt.message) {
				t.Fatalf("got %q at %d, want %q at %d", ce.Msg, ce.Pos, tt.message, tt.pos)
			}
		})
	}
}

func TestConditionEvalErrors(t *testing.T) {
	fields := map[string]any{"amount": 1.5, "kind": "goods", "flag": true, "bad": []int{1}}
	for _, src := range []string{"amount", "amount > 'x'", "flag > true", "kind && flag", "!flag || amount", "missing > 1 && false", "!amount", "missing = 1", "bad = 1"} {
		c, err := approval.ParseCondition(src)
		if err != nil {
			t.Fatalf("%s: parse: %v", src, err)
		}
		if got, err := c.Eval(fields); err == nil {
			t.Errorf("%s = %v, want an error", src, got)
		} else if src == "missing = 1" && !strings.Contains(err.Error(), "missing") {
			t.Errorf("%s: error %q does not name the field", src, err)
		}
	}
}

// String gives a canonical form that parses to itself.
func TestConditionString(t *testing.T) {
	for src, want := range map[string]string{
		"amount>100000&&kind in['a',\"b\"]": "amount > 100000 && kind in ['a', 'b']",
		"!(a==1)||b":                        "!(a = 1) || b",
		`x = "it's"`:                        `x = 'it\'s'`,
	} {
		c, err := approval.ParseCondition(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.String(); got != want {
			t.Errorf("String(%q) = %q, want %q", src, got, want)
		}
	}
}
