package image

import "fmt"

// Error is why an upload was refused, in words for the person who uploaded it:
// JA for Japanese pages, EN for English ones. Code is stable for programs and
// logs; Err is the underlying cause, if any (not for display).
type Error struct {
	Code string
	JA   string
	EN   string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "image: " + e.EN + ": " + e.Err.Error()
	}
	return "image: " + e.EN
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, image.ErrTooLarge) works for errors with any message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

const (
	codeRead        = "read"
	codeEmpty       = "empty"
	codeTooLarge    = "too_large"
	codeUnsupported = "unsupported_format"
	codeTooMany     = "too_many_pixels"
	codeCorrupt     = "corrupt"
)

// Sentinels for errors.Is.
var (
	ErrRead          = &Error{Code: codeRead}
	ErrEmpty         = &Error{Code: codeEmpty}
	ErrTooLarge      = &Error{Code: codeTooLarge}
	ErrUnsupported   = &Error{Code: codeUnsupported}
	ErrTooManyPixels = &Error{Code: codeTooMany}
	ErrCorrupt       = &Error{Code: codeCorrupt}
)

func newError(code string, cause error) *Error {
	e := &Error{Code: code, Err: cause}
	switch code {
	case codeRead:
		e.JA, e.EN = "画像を読み込めませんでした。もう一度お試しください。", "the image could not be read; please try again"
	case codeEmpty:
		e.JA, e.EN = "画像ファイルが空です。", "the image file is empty"
	case codeUnsupported:
		e.JA, e.EN = "JPEG・PNG・WebP形式の画像を選んでください。", "please choose a JPEG, PNG or WebP image"
	case codeCorrupt:
		e.JA, e.EN = "画像ファイルが壊れているか、読み取れない形式です。", "the image file is damaged or cannot be read"
	}
	return e
}

func tooLarge(max int64) *Error {
	e := newError(codeTooLarge, nil)
	mb := float64(max) / (1 << 20)
	e.JA = fmt.Sprintf("画像のファイルサイズが大きすぎます（上限 %.0f MB）。", mb)
	e.EN = fmt.Sprintf("the image file is too large (at most %.0f MB)", mb)
	return e
}

func tooManyPixels(w, h int, l Limits) *Error {
	e := newError(codeTooMany, nil)
	e.JA = fmt.Sprintf("画像の画素数が大きすぎます（%d×%d、上限 %d×%d・%d万画素）。", w, h, l.MaxWidth, l.MaxHeight, l.MaxPixels/10000)
	e.EN = fmt.Sprintf("the image has too many pixels (%d×%d; at most %d×%d and %.1f megapixels)", w, h, l.MaxWidth, l.MaxHeight, float64(l.MaxPixels)/1e6)
	return e
}
