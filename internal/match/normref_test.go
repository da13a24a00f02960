package match

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeRef is the plain (Iter-only) normalisation, to check the fast path.
func normalizeRef(s string) ntext {
	t := ntext{r: make([]rune, 0, len(s)/2+4), st: make([]int32, 0, len(s)/2+4), en: make([]int32, 0, len(s)/2+4), kana: make([]uint8, 0, len(s)/2+4)}
	var it norm.Iter
	it.InitString(norm.NFKC, s)
	start := 0
	for !it.Done() {
		seg := it.Next()
		end := it.Pos()
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
	return t
}
