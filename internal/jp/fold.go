package jp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search key used everywhere in the product for width- and
// kana-insensitive matching: index Fold(text) and look up Fold(query).
//
//   - NFKC: full-width ＡＢＣ１２３ and half-width ｱｲｳ become ABC123 and アイウ.
//   - lower case: "ISO" and "iso" match.
//   - katakana → hiragana (ヴ → ゔ): ｱ, ア and あ match.
//   - the small ヵ/ヶ (ゕ/ゖ) → か/け, so 霞ヶ関 and 霞ケ関 match (霞が関 stays
//     different: that is a spelling, not a width). Other small kana stay
//     small: キヤノン and キャノン are different names.
//   - whitespace, middle dots (・ ･ ·) and 、 are removed: "日野 製作所" and
//     "日野・製作所" match "日野製作所".
//   - hyphens and dashes are removed ("A-100" matches "A100"), except that one
//     standing for a long vowel — after kana and before kana, a space or the
//     end — becomes ー, so "コンピュ－タ" and "コンピューター" differ only where
//     they really do. The long vowel mark ー itself is kept: it is meaningful.
//
// Fold never panics, always returns valid UTF-8 (invalid bytes are dropped)
// and is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if out, ok := foldSimple(s); ok {
		return out
	}
	out := fold(s)
	// Removing a space can bring a combining mark next to a letter it
	// composes with (NFKC turns a lone ゛ into space + U+3099); compose again
	// so that the result is already normal and a second Fold changes nothing.
	for i := 0; i < 3 && !norm.NFKC.IsNormalString(out); i++ {
		out = fold(norm.NFKC.String(out))
	}
	return out
}

// foldSimple folds, in one pass and without normalisation, strings made only
// of characters that NFKC and lower-casing leave alone — kanji, hiragana,
// katakana, ー, ASCII lower-case letters and digits — which is most Japanese
// names. It reports false for anything else, which takes the full path.
// (The NTA import folds millions of names.)
func foldSimple(s string) (string, bool) {
	var b []byte
	for i, r := range s {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3041 && r <= 0x3094, r == 'ー',
			r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if b != nil {
				b = utf8.AppendRune(b, r)
			}
		case r >= 0x30A1 && r <= 0x30F6, r == 'ゕ', r == 'ゖ':
			if b == nil {
				b = make([]byte, i, len(s))
				copy(b, s[:i])
			}
			switch r {
			case 'ヵ', 'ゕ':
				r = 'か'
			case 'ヶ', 'ゖ':
				r = 'け'
			default:
				r -= 0x60
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	if b == nil {
		return s, true
	}
	return string(b), true
}

func fold(s string) string {
	rs := []rune(strings.ToLower(nfkc(s)))
	var b strings.Builder
	b.Grow(len(s))
	last := rune(-1) // last rune written, for the long-vowel rule
	for i, r := range rs {
		switch {
		case unicode.IsSpace(r) || r == '・' || r == '·' || r == '、':
			continue
		case r == 'ー': // kept as it is, wherever it is
		case isDashLike(r):
			if isKanaOrLong(last) && kanaOrEndAfter(rs[i+1:]) {
				r = 'ー'
			} else {
				continue
			}
		case r == 'ヵ' || r == 'ゕ':
			r = 'か'
		case r == 'ヶ' || r == 'ゖ':
			r = 'け'
		}
		if isKatakana(r) {
			toHiragana(r, &b)
		} else {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// kanaOrEndAfter reports whether the next meaningful rune is kana, or there
// is none: the context in which a dash is a long vowel mark.
func kanaOrEndAfter(rs []rune) bool {
	for _, r := range rs {
		switch {
		case unicode.IsSpace(r):
			return true
		case r == '・' || r == '·' || r == '、' || isDashLike(r):
			continue
		default:
			return isKanaOrLong(r)
		}
	}
	return true
}
