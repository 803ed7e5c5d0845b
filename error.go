// Package fleet holds what every part of the platform shares: the error vocabulary.
package fleet

import (
	"errors"
	"fmt"
)

// Error codes, mapped once to HTTP statuses by web.
const (
	EInvalid      = "invalid"      // 400: a request field is wrong
	EUnauthorized = "unauthorized" // 401: not logged in, or wrong credentials
	EForbidden    = "forbidden"    // 403: logged in, not allowed
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // 409: duplicate or stale
	ETooLarge     = "too_large"    // 413
	ERateLimited  = "rate_limited" // 429
	EUnavailable  = "unavailable"  // 503: a store is down
	EInternal     = "internal"     // 500: never shown in detail
)

// Error is an application error with a code, a message fit for the user and per-field problems.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter is set with ERateLimited, in seconds.
	RetryAfter int
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("fleet: %s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("fleet: %s: %s %v", e.Code, e.Message, e.Fields)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EInvalid error naming the fields and their problems.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EInvalid, Message: "invalid input", Fields: fields}
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err; internal errors get a generic text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Problems collects field problems during validation.
type Problems map[string]string

// Add records the first problem of a field.
func (p Problems) Add(field, problem string) {
	if _, ok := p[field]; !ok {
		p[field] = problem
	}
}

// Err returns nil when there is no problem, or an EInvalid error naming them.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(p)
}
