package jp

import "strings"

// Error is a validation or parse error with a message in Japanese and in
// English. Error() returns the Japanese text because staff and citizens see
// Japanese first; the API layer picks EN with Text("en").
//
// The package's sentinel errors (ErrCorporateNumberLength, …) are *Error
// values. Errors that carry details (for example which era a date falls
// outside of) are new *Error values that unwrap to their sentinel, so
// errors.Is(err, jp.ErrWarekiOutOfEra) works on them too.
type Error struct {
	JA string
	EN string

	kind *Error // the sentinel this error is an instance of, if any
}

func (e *Error) Error() string { return e.JA }

// Unwrap returns the sentinel error e is a detailed instance of, or nil.
func (e *Error) Unwrap() error {
	if e.kind == nil {
		return nil // an untyped nil: a nil *Error inside an error is not nil
	}
	return e.kind
}

// Text returns the message in the language named by lang ("ja", "en",
// "en-US", …); anything that is not English gets Japanese.
func (e *Error) Text(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return e.EN
	}
	return e.JA
}

func newError(ja, en string) *Error { return &Error{JA: ja, EN: en} }

// detail returns a more specific error that still matches e with errors.Is.
func (e *Error) detail(ja, en string) *Error { return &Error{JA: ja, EN: en, kind: e} }
