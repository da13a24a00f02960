package match

import (
	"strings"
	"sync"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// Morphological analysis (kagome, IPA dictionary) is used on queries: it
// separates content words (nouns, unknown words, verb stems) from function
// words so that long, polite requests do not match on です/ます/して. Docs
// are indexed with character bigrams only (kagome over 100,000 PR texts
// would take longer than the build budget); the content words of a query
// are matched through their bigrams, so unknown words still match.

var (
	kagomeOnce sync.Once
	kagomeTok  *tokenizer.Tokenizer
	kagomeErr  error
)

func morph() (*tokenizer.Tokenizer, error) {
	kagomeOnce.Do(func() {
		kagomeTok, kagomeErr = tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	})
	return kagomeTok, kagomeErr
}

// WarmUp loads the morphological dictionary (≈0.7 s) so that the first
// query does not pay for it. Safe to call many times.
func WarmUp() error {
	_, err := morph()
	return err
}

// contentChunks returns runs of content words of s (NFKC form): nouns
// (except dependent nouns and pronouns), prefixes, unknown words and the
// kanji stems of verbs.
func contentChunks(s string) []string {
	tk, err := morph()
	if err != nil || s == "" {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, t := range tk.Tokenize(s) {
		pos := t.POS()
		p0, p1 := "", ""
		if len(pos) > 0 {
			p0 = pos[0]
		}
		if len(pos) > 1 {
			p1 = pos[1]
		}
		switch {
		case t.Class == tokenizer.UNKNOWN && p0 != "記号":
			cur.WriteString(t.Surface)
		case p0 == "名詞" && p1 != "非自立" && p1 != "代名詞" && p1 != "副詞可能":
			cur.WriteString(t.Surface)
		case p0 == "接頭詞":
			cur.WriteString(t.Surface)
		case p0 == "動詞" && p1 == "自立" && hasKanji(t.Surface):
			flush()
			// the kanji part of the stem (削れる → 削)
			r := []rune(t.Surface)
			k := 0
			for k < len(r) && isKanji(r[k]) {
				k++
			}
			if k >= 1 {
				out = append(out, string(r[:k]))
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

func hasKanji(s string) bool {
	for _, r := range s {
		if isKanji(r) {
			return true
		}
	}
	return false
}
