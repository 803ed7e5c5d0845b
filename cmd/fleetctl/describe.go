package main

import (
	"errors"
	"sort"
	"strings"

	"fleet"
)

// describe rewrites a service error for a person at a terminal: the message and each field's
// problem, without the Go map syntax of fleet.Error's own text. Other errors pass unchanged.
func describe(err error) error {
	var fe *fleet.Error
	if !errors.As(err, &fe) {
		return err
	}
	var b strings.Builder
	b.WriteString(fe.Message)
	fields := make([]string, 0, len(fe.Fields))
	for f := range fe.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for i, f := range fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f + ": " + fe.Fields[f])
	}
	return errors.New(b.String())
}
