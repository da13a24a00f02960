package jp

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfkc makes s valid UTF-8 (dropping invalid bytes) and applies NFKC, which
// turns full-width ASCII into ASCII, half-width katakana into full-width
// katakana (ｶﾞ → ガ), and ligatures such as ㈱ or ㍻ into their letters. Every
// parser in this package starts here, because users type all of these forms.
func nfkc(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	return norm.NFKC.String(s)
}

// validUTF8 drops invalid bytes without any other change.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "")
}

func isASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDashLike reports the characters that people type as a hyphen or as a long
// vowel mark, depending on the keyboard and the IME: ASCII hyphen-minus, the
// Unicode hyphens and dashes, the minus sign and the katakana long vowel mark.
// NFKC has already turned full-width － and half-width ｰ into - and ー.
func isDashLike(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE63', 'ー':
		return true
	}
	return false
}

// Kana blocks. Katakana U+30A1–U+30F6 and hiragana U+3041–U+3096 are offset
// by 0x60 letter for letter; ヷヸヹヺ (U+30F7–U+30FA) have no hiragana.
const kanaOffset = 0x60

func isHiragana(r rune) bool { return r >= 0x3041 && r <= 0x3096 || r == 0x309D || r == 0x309E }

func isKatakana(r rune) bool { return r >= 0x30A1 && r <= 0x30FA || r == 0x30FD || r == 0x30FE }

// isKanaOrLong reports hiragana, katakana and the long vowel mark ー.
func isKanaOrLong(r rune) bool { return isHiragana(r) || isKatakana(r) || r == 'ー' }

// toHiragana maps one katakana letter to hiragana. ヷヸヹヺ become their
// hiragana base plus a combining voiced mark, the only faithful spelling.
func toHiragana(r rune, b *strings.Builder) {
	switch {
	case r >= 0x30A1 && r <= 0x30F6, r == 0x30FD, r == 0x30FE:
		b.WriteRune(r - kanaOffset)
	case r >= 0x30F7 && r <= 0x30FA: // ヷ ヸ ヹ ヺ → わ゙ ゐ゙ ゑ゙ を゙
		b.WriteRune(r - 0x30F7 + 'わ') // わ ゐ ゑ を are consecutive, like ヷ ヸ ヹ ヺ
		b.WriteRune('\u3099')
	default:
		b.WriteRune(r)
	}
}

// toKatakana maps one hiragana letter to katakana.
func toKatakana(r rune) rune {
	if r >= 0x3041 && r <= 0x3096 || r == 0x309D || r == 0x309E {
		return r + kanaOffset
	}
	return r
}
