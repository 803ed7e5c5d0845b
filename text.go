package fleet

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text trims a text field and records its problem in p: required but empty, longer than max
// characters, invalid UTF-8 or control characters. It returns the trimmed value.
func (p Problems) Text(field, value string, required bool, max int) string {
	v := strings.TrimSpace(value)
	switch {
	case !utf8.ValidString(v):
		p.Add(field, "must be valid UTF-8")
	case v == "" && required:
		p.Add(field, "required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, fmt.Sprintf("too long (at most %d characters)", max))
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		p.Add(field, "must not contain control characters")
	}
	return v
}
