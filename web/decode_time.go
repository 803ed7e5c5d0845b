package web

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

var timeType = reflect.TypeOf(time.Time{})

// badTimeField names the field of body, decoded into a value of type t, whose time the JSON
// decoder refused (time.Time reports neither the field nor, for a non-string, the value), as a
// path like "positions[0].fixed_at"; "" when none is found.
func badTimeField(t reflect.Type, body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return findBadTime(t, v, "")
}

func findBadTime(t reflect.Type, v any, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return ""
	}
	switch {
	case t == timeType:
		if s, ok := v.(string); !ok || !validTime(s) {
			return path
		}
	case t.Kind() == reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if x, ok := m[name]; ok {
				if p := findBadTime(f.Type, x, join(path, name)); p != "" {
					return p
				}
			}
		}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		items, _ := v.([]any)
		for i, x := range items {
			if p := findBadTime(t.Elem(), x, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func validTime(s string) bool {
	var t time.Time
	b, _ := json.Marshal(s)
	return t.UnmarshalJSON(b) == nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
