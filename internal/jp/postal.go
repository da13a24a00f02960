package jp

import (
	"strings"
	"unicode"
)

var ErrPostalCode = newError(
	"郵便番号は7桁の数字で入力してください（例: 191-0011）",
	"A postal code has 7 digits (for example 191-0011)")

// NormalizePostalCode returns a Japanese postal code in the "191-0011" form.
// It accepts "1910011", "191-0011", "〒１９１－００１１", "191ー0011" (the IME's
// long vowel mark), with spaces anywhere; a hyphen is only allowed between the
// third and fourth digits. Anything else is ErrPostalCode.
func NormalizePostalCode(s string) (string, error) {
	var digits []byte
	hyphen := false
	for _, r := range strings.TrimPrefix(strings.TrimSpace(nfkc(s)), "〒") {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case isDashLike(r) && len(digits) == 3 && !hyphen:
			hyphen = true
		case unicode.IsSpace(r):
		default:
			return "", ErrPostalCode
		}
	}
	if len(digits) != 7 {
		return "", ErrPostalCode
	}
	return string(digits[:3]) + "-" + string(digits[3:]), nil
}
