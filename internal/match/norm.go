package match

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ntext is a normalised text: NFKC, lower case, hiragana folded to
// katakana, the prolonged-sound mark dropped after katakana, unit and
// symbol variants unified (φ Φ ø ⌀ → φ; dashes → -; 〜 ～ → ~), runs of
// white space collapsed to one space and a hyphen between two ASCII letters
// read as a space. For each rune it keeps the byte range of the original
// text it came from, so matches can be reported as spans of the original.
type ntext struct {
	r    []rune
	st   []int32 // start byte offset of r[i] in the original
	en   []int32 // end byte offset of r[i] in the original
	kana []uint8 // kanaHira / kanaKata: the script r[i] was written in
}

const (
	kanaHira uint8 = 1
	kanaKata uint8 = 2
)

func (t *ntext) String() string { return string(t.r) }

// span returns the original byte range of normalised runes [i, j).
func (t *ntext) span(i, j int) (int, int) {
	if i >= j || i >= len(t.r) {
		return 0, 0
	}
	return int(t.st[i]), int(t.en[j-1])
}

func isKatakana(r rune) bool { return r >= 0x30A1 && r <= 0x30FA }
func isHiragana(r rune) bool { return r >= 0x3041 && r <= 0x3096 }
func isKanji(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || r == '々' || (r >= 0xF900 && r <= 0xFAFF)
}
func isASCIIAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z')
}
func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isDigit(r rune) bool       { return r >= '0' && r <= '9' }

// isCJK reports kana, kanji and the prolonged-sound mark.
func isCJK(r rune) bool {
	return isKanji(r) || isKatakana(r) || isHiragana(r) || r == 'ー'
}

// foldRune maps one NFKC rune to its matching form; ok=false drops it.
func foldRune(r rune) (rune, bool) {
	switch {
	case r < 0x80:
		if r >= 'A' && r <= 'Z' {
			return r + 32, true
		}
		if r == '\t' || r == '\f' || r == '\v' {
			return ' ', true
		}
		if r == '\r' {
			return '\n', true
		}
		return r, true
	case isHiragana(r):
		k := r + 0x60
		switch k {
		case 'ヶ':
			k = 'ケ'
		case 'ヵ':
			k = 'カ'
		}
		return k, true
	case r == 'ゝ':
		return 'ヽ', true
	case r == 'ゞ':
		return 'ヾ', true
	case r == 'ヶ':
		return 'ケ', true
	case r == 'ヵ':
		return 'カ', true
	}
	switch r {
	case 'Φ', 'ø', 'Ø', '⌀', 'ϕ', '∅':
		return 'φ', true
	case 'µ':
		return 'μ', true
	case '〜', '～', '∼', '〰':
		return '~', true
	case '‐', '‑', '‒', '–', '—', '―', '−', '－', '﹣':
		return '-', true
	case '\u3000', '\u00a0', '\u2002', '\u2003', '\u2009', '\u200b':
		return ' ', true
	case '\u200c', '\u200d', '\ufeff':
		return 0, false
	case '、', '，':
		return '、', true
	case '。', '｡':
		return '。', true
	case '＊', '※':
		return r, true
	case '×', '✕', '✖':
		return '×', true
	}
	if unicode.IsUpper(r) {
		return unicode.ToLower(r), true
	}
	if unicode.Is(unicode.Mn, r) { // stray combining marks after NFKC
		return 0, false
	}
	return r, true
}

// normalize builds the ntext of s.
func normalize(s string) ntext {
	var t ntext
	normalizeInto(&t, s)
	return t
}

// normalizeInto is normalize reusing t's buffers.
func normalizeInto(t *ntext, s string) {
	if t.r == nil {
		n := len(s)/2 + 4
		t.r, t.st, t.en, t.kana = make([]rune, 0, n), make([]int32, 0, n), make([]int32, 0, n), make([]uint8, 0, n)
	} else {
		t.r, t.st, t.en, t.kana = t.r[:0], t.st[:0], t.en[:0], t.kana[:0]
	}
	var it *norm.Iter // only for text not already in NFKC
	defer func() {
		if it != nil {
			iterPool.Put(it)
		}
	}()
	start := 0
	// runs that are already in NFKC need no decomposition: one rune at a
	// time; the rest one segment at a time through the NFKC iterator
	quick := start + norm.NFKC.QuickSpanString(s)
	var one [utf8.UTFMax]byte
	for start < len(s) {
		var seg []byte
		var end int
		if start < quick {
			r, n := utf8.DecodeRuneInString(s[start:])
			end = start + n
			seg = one[:utf8.EncodeRune(one[:], r)]
			if r == utf8.RuneError && n == 1 {
				seg = seg[:0]
			}
		} else {
			// one segment (an expansion such as ㎜ → mm may come in pieces
			// before the iterator moves on)
			if it == nil {
				it = iterPool.Get().(*norm.Iter)
			}
			it.InitString(norm.NFKC, s[start:])
			seg = nil
			for !it.Done() {
				seg = append(seg, it.Next()...)
				if it.Pos() > 0 {
					break
				}
			}
			end = start + it.Pos()
			if end <= start {
				break
			}
		}
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			if r == utf8.RuneError && n <= 1 {
				continue
			}
			f, ok := foldRune(r)
			if !ok {
				continue
			}
			last := rune(0)
			if len(t.r) > 0 {
				last = t.r[len(t.r)-1]
			}
			if f == 'ー' && (isKatakana(last) || last == 'ー') {
				// prolonged sound after katakana: drop (レーザー = レーザ), but keep the span
				if len(t.en) > 0 {
					t.en[len(t.en)-1] = int32(end)
				}
				continue
			}
			if f == ' ' || f == '\n' {
				if len(t.r) == 0 {
					continue
				}
				if last == ' ' || last == '\n' {
					if f == '\n' {
						t.r[len(t.r)-1] = '\n'
					}
					continue
				}
			}
			if f == '摩' && last == '研' { // 研摩 → 研磨
				f = '磨'
			}
			t.r = append(t.r, f)
			t.st = append(t.st, int32(start))
			t.en = append(t.en, int32(end))
			var k uint8
			if isHiragana(r) {
				k = kanaHira
			} else if isKatakana(r) {
				k = kanaKata
			}
			t.kana = append(t.kana, k)
		}
		start = end
		if start >= quick && start < len(s) {
			quick = start + norm.NFKC.QuickSpanString(s[start:])
		}
	}
	// hyphen between two ASCII letters reads as a space (heat-treated = heat treated)
	for i := 1; i+1 < len(t.r); i++ {
		if t.r[i] == '-' && isASCIILetter(t.r[i-1]) && isASCIILetter(t.r[i+1]) {
			t.r[i] = ' '
		}
	}
	// trailing space
	if n := len(t.r); n > 0 && (t.r[n-1] == ' ' || t.r[n-1] == '\n') {
		t.r, t.st, t.en, t.kana = t.r[:n-1], t.st[:n-1], t.en[:n-1], t.kana[:n-1]
	}
}

var iterPool = sync.Pool{New: func() any { return new(norm.Iter) }}

// normString is the normalised form of s as a string.
func normString(s string) string {
	t := normalize(s)
	return string(t.r)
}

// nfkc is NFKC only (for the morphological analyser, which wants the
// ordinary written form).
func nfkc(s string) string { return norm.NFKC.String(s) }

// Normalize is the engine's matching form of s (exported for tests and the
// lead's own uses such as duplicate detection): NFKC, lower case, hiragana →
// katakana, prolonged-sound mark after katakana dropped, φ/Φ/ø unified.
func Normalize(s string) string { return normString(s) }

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
