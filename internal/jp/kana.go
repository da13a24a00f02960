package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeReading normalises a reading (フリガナ, よみ) for storage: NFKC
// (half-width ｶﾌﾞｼｷｶﾞｲｼｬ → full-width), hiragana → katakana (the NTA file and
// most forms store readings in katakana), runs of whitespace → one ASCII space,
// and no leading or trailing space.
func NormalizeReading(s string) string {
	var b strings.Builder
	space := false
	for _, r := range nfkc(s) {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(toKatakana(r))
	}
	// わ + U+3099 has no composed form but ワ + U+3099 does (ヷ): compose, so
	// that normalising twice gives the same string.
	return norm.NFKC.String(b.String())
}

// IsKatakanaReading reports whether s, after NormalizeReading, is a non-empty
// katakana reading: katakana letters, the long vowel mark ー, the middle dot ・
// and spaces only. Use it to validate フリガナ fields.
func IsKatakanaReading(s string) bool {
	n := NormalizeReading(s)
	if n == "" {
		return false
	}
	for _, r := range n {
		if !isKatakana(r) && r != 'ー' && r != '・' && r != ' ' && r != '\u3099' && r != '\u309A' {
			return false
		}
	}
	return strings.Trim(n, " ・ー") != ""
}
