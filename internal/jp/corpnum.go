package jp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// 法人番号 (corporate number): 13 digits, a check digit followed by the
// 12-digit 基礎番号. The National Tax Agency assigns it; sole proprietors have
// none. Rule (法人番号の指定等に関する省令 第2条): number the base digits P₁…P₁₂
// from the right, weight Qₙ = 1 for odd n and 2 for even n, and
// check = 9 − (Σ Pₙ·Qₙ mod 9), which is always 1–9.

var (
	ErrCorporateNumberLength = newError(
		"法人番号は13桁で入力してください",
		"The corporate number must have 13 digits")
	ErrCorporateNumberDigits = newError(
		"法人番号は半角数字で入力してください",
		"The corporate number must consist of digits only")
	ErrCorporateNumberCheckDigit = newError(
		"法人番号のチェックデジットが正しくありません",
		"The check digit of the corporate number is wrong")
)

// CorporateNumberCheckDigit returns the check digit (1–9) for a 12-digit
// 基礎番号 given as ASCII digits.
func CorporateNumberCheckDigit(base12 string) (int, error) {
	if utf8.RuneCountInString(base12) != 12 {
		return 0, ErrCorporateNumberLength.detail(
			"法人番号の基礎番号は12桁です",
			"The base of a corporate number has 12 digits")
	}
	if !isASCIIDigits(base12) {
		return 0, ErrCorporateNumberDigits
	}
	sum := 0
	for n := 1; n <= 12; n++ { // n counts from the right
		p := int(base12[12-n] - '0')
		if n%2 == 0 {
			p *= 2
		}
		sum += p
	}
	return 9 - sum%9, nil
}

// ValidateCorporateNumber checks a 法人番号 that must already be exactly 13
// ASCII digits; call NormalizeCorporateNumber first on user input. It returns
// ErrCorporateNumberLength, ErrCorporateNumberDigits or
// ErrCorporateNumberCheckDigit.
func ValidateCorporateNumber(s string) error {
	if utf8.RuneCountInString(s) != 13 {
		return ErrCorporateNumberLength
	}
	if !isASCIIDigits(s) {
		return ErrCorporateNumberDigits
	}
	want, _ := CorporateNumberCheckDigit(s[1:])
	if int(s[0]-'0') != want {
		return ErrCorporateNumberCheckDigit
	}
	return nil
}

// NormalizeCorporateNumber turns what people type or paste into the plain
// 13-digit form: NFKC (full-width digits → ASCII), and spaces and hyphens or
// dashes removed ("1234-5678-…", "５１８０ ００１…"). A leading "T" followed by
// 13 digits is dropped too, because a corporation's 適格請求書発行事業者登録番号
// (invoice registration number) is "T" + its 法人番号 and is often what sits on
// a letterhead. It does not validate: pass the result to
// ValidateCorporateNumber.
func NormalizeCorporateNumber(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isDashLike(r) {
			return -1
		}
		return r
	}, nfkc(s))
	// Compose again: a removed space may have separated a letter from a
	// combining mark, and the result must not change when normalised twice.
	s = norm.NFKC.String(s)
	if len(s) == 14 && (s[0] == 'T' || s[0] == 't') && isASCIIDigits(s[1:]) {
		s = s[1:]
	}
	return s
}
