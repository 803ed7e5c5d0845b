package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"fleet"
	"fleet/store"
)

// statusOf maps the error vocabulary to HTTP statuses, in one place.
var statusOf = map[string]int{
	fleet.EInvalid:      http.StatusBadRequest,
	fleet.EUnauthorized: http.StatusUnauthorized,
	fleet.EForbidden:    http.StatusForbidden,
	fleet.ENotFound:     http.StatusNotFound,
	fleet.EConflict:     http.StatusConflict,
	fleet.ETooLarge:     http.StatusRequestEntityTooLarge,
	fleet.ERateLimited:  http.StatusTooManyRequests,
	fleet.EUnavailable:  http.StatusServiceUnavailable,
	fleet.EInternal:     http.StatusInternalServerError,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	RetryAfter int               `json:"retry_after,omitempty"`
	RequestID  string            `json:"request_id,omitempty"`
}

// writeError answers with the JSON error body; internal errors are logged here, once, and their
// text is never sent.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if in := store.InputError(err); in != nil { // MariaDB refused a value the validation let through
		logger(r).WarnContext(r.Context(), "a value the validation let through does not fit its column", slog.Any("error", err))
		err = in
	}
	code := fleet.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	d := errorDetail{Code: code, Message: fleet.ErrorMessage(err), RequestID: requestID(r)}
	var fe *fleet.Error
	if errors.As(err, &fe) {
		d.Fields, d.RetryAfter = fe.Fields, fe.RetryAfter
	}
	if status >= 500 {
		logger(r).ErrorContext(r.Context(), "request failed", slog.Any("error", err))
	}
	if d.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(d.RetryAfter))
	}
	writeJSON(w, status, errorBody{d})
}

// writeJSON encodes v with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

// list is the shape of every list answer.
type list[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// decode reads one JSON object into v: unknown fields, trailing data, wrong types and oversized
// bodies are refused with an error that names the problem.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return fleet.Errorf(fleet.EInvalid, "send JSON (Content-Type: application/json)")
	}
	var body bytes.Buffer // kept to name a refused time field
	dec := json.NewDecoder(io.TeeReader(r.Body, &body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return fleet.Errorf(fleet.EInvalid, "the body must hold one JSON object")
		}
		if _, err2 := dec.Token(); err2 != io.EOF {
			return fleet.Errorf(fleet.EInvalid, "the body must hold one JSON object")
		}
		return nil
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		big    *http.MaxBytesError
	)
	switch {
	case errors.As(err, &big):
		return fleet.Errorf(fleet.ETooLarge, "the body is larger than %d bytes", big.Limit)
	case errors.Is(err, io.EOF):
		return fleet.Errorf(fleet.EInvalid, "the body is empty; send a JSON object")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return fleet.Errorf(fleet.EInvalid, "malformed JSON")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fleet.Errorf(fleet.EInvalid, "the body must be a JSON object")
		}
		return &fleet.Error{Code: fleet.EInvalid, Message: "wrong type for " + field,
			Fields: map[string]string{field: fmt.Sprintf("must be %s", jsonType(typ.Type.Kind().String()))}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fleet.Error{Code: fleet.EInvalid, Message: "unknown field " + name, Fields: map[string]string{name: "unknown field"}}
	}
	if field := badTimeField(reflect.TypeOf(v), body.Bytes()); field != "" {
		return &fleet.Error{Code: fleet.EInvalid, Message: "wrong time for " + field,
			Fields: map[string]string{field: "must be a time like 2026-05-04T08:00:00+08:00 (RFC 3339)"}}
	}
	return fleet.Errorf(fleet.EInvalid, "unreadable body")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a number"
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fleet.Errorf(fleet.ENotFound, "no such record")
	}
	return id, nil
}

// queryPage reads limit, offset and q.
func queryPage(r *http.Request) (fleet.Page, error) {
	q := r.URL.Query()
	p := fleet.Problems{}
	page := fleet.Page{Query: p.Text("q", q.Get("q"), false, 100)}
	page.Limit = queryInt(p, q.Get("limit"), "limit", 0, fleet.MaxLimit)
	page.Offset = queryInt(p, q.Get("offset"), "offset", 0, 1<<31)
	return page, p.Err()
}

// queryInt reads an optional integer query parameter between lo and hi.
func queryInt(p fleet.Problems, s, field string, lo, hi int) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.Add(field, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		return 0
	}
	return n
}

func handleAPINotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, fleet.Errorf(fleet.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
}

// writeWorkbook sends an XLSX workbook as a download named name.
func writeWorkbook(w http.ResponseWriter, name string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
