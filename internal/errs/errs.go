// Package errs is the error vocabulary shared by services and the HTTP edge:
// a service says what went wrong (invalid, not found, conflict …) in Japanese
// and English, and the edge maps the code to a status once.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edge.
type Code string

const (
	Invalid      Code = "invalid"      // 422: the input is wrong; see Fields
	BadRequest   Code = "bad_request"  // 400: the request itself is malformed
	NotFound     Code = "not_found"    // 404
	Forbidden    Code = "forbidden"    // 403
	Unauthorized Code = "unauthorized" // 401
	Conflict     Code = "conflict"     // 409: someone else changed it first
	TooLarge     Code = "too_large"    // 413
	RateLimited  Code = "rate_limited" // 429
	Unavailable  Code = "unavailable"  // 503
	Internal     Code = "internal"     // 500
)

// FieldError is a problem with one input field.
type FieldError struct {
	Field string `json:"field"`
	JA    string `json:"ja"`
	EN    string `json:"en"`
}

// Error is an error a user can read, in both languages.
type Error struct {
	Code   Code         `json:"code"`
	JA     string       `json:"ja"`
	EN     string       `json:"en"`
	Fields []FieldError `json:"fields,omitempty"`
	// Current, for a conflict, is the version now stored, so a page can show
	// what the other person saved.
	Current any `json:"current,omitempty"`
	// Err is the underlying cause, never shown to users.
	Err error `json:"-"`
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.EN, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.EN)
}

func (e *Error) Unwrap() error { return e.Err }

// Message returns the message in lang ("en" or anything else for Japanese).
func (e *Error) Message(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.JA
}

// New makes an error with a code and a message in both languages.
func New(code Code, ja, en string) *Error { return &Error{Code: code, JA: ja, EN: en} }

// Wrap makes an internal error that keeps its cause for the log.
func Wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, JA: "内部エラーが発生しました", EN: "An internal error occurred", Err: fmt.Errorf("%s: %w", what, err)}
}

// CodeOf returns the code of err, Internal for errors that carry none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as *Error, wrapping unknown errors as internal ones.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, JA: "内部エラーが発生しました", EN: "An internal error occurred", Err: err}
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// NotFoundf is the common "no such thing" error.
func NotFoundf(ja, en string) *Error { return New(NotFound, ja, en) }

// Fields collects field errors; Err returns nil when there are none.
type Fields []FieldError

// Add records a problem with a field.
func (f *Fields) Add(field, ja, en string) { *f = append(*f, FieldError{Field: field, JA: ja, EN: en}) }

// AddErr records err against a field; errors with Japanese and English text
// (an *Error, or anything with Text(lang)) keep both.
func (f *Fields) AddErr(field string, err error) {
	if err == nil {
		return
	}
	var e *Error
	if errors.As(err, &e) {
		f.Add(field, e.JA, e.EN)
		return
	}
	var t interface{ Text(lang string) string }
	if errors.As(err, &t) {
		f.Add(field, t.Text("ja"), t.Text("en"))
		return
	}
	f.Add(field, err.Error(), err.Error())
}

// Has reports whether field already has an error.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns an Invalid error listing the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, JA: "入力内容に誤りがあります", EN: "Some fields are not valid", Fields: f}
}
