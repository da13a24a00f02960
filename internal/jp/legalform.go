package jp

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// legalForms are the 法人格 written out in full. Longer forms come first so
// that 地方独立行政法人 is not cut as 独立行政法人, nor 医療法人社団 as 医療法人.
var legalForms = func() []string {
	f := []string{
		"株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
		"一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人",
		"特定非営利活動法人", "NPO法人", "ＮＰＯ法人",
		"国立大学法人", "公立大学法人", "学校法人",
		"独立行政法人", "地方独立行政法人", "国立研究開発法人",
		"社会福祉法人", "医療法人", "医療法人社団", "医療法人財団", "宗教法人",
		"有限責任事業組合",
	}
	slices.SortFunc(f, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return f
}()

// legalAbbrevs are the bracketed abbreviations (株) (有) …, in ASCII and
// full-width brackets, and the enclosed characters ㈱ ㈲ ㈳ ㈶ ㈴ ㈵.
var legalAbbrevs = func() []string {
	a := []string{"㈱", "㈲", "㈳", "㈶", "㈴", "㈵"}
	for _, k := range []string{"株", "有", "同", "資", "名", "社", "財", "一社", "一財", "公社", "公財", "特非", "医", "学", "独", "福"} {
		for _, open := range []string{"(", "（"} {
			for _, close := range []string{")", "）"} {
				a = append(a, open+k+close)
			}
		}
	}
	return a
}()

// StripLegalForm removes the legal form (法人格) from the front or back of a
// company name: "株式会社日野製作所", "日野製作所株式会社", "㈱日野製作所" and
// "(株)日野製作所" all give "日野製作所". Used for name search keys and to
// match names against the NTA file, where people leave the form out or put it
// on the other side. Spaces next to the removed form go too; the rest of the
// name is returned as written. If nothing would remain ("株式会社" alone), the
// trimmed input is returned.
func StripLegalForm(name string) string {
	orig := trimNameSpace(validUTF8(name))
	s := orig
	for changed := true; changed; {
		changed = false
		// Most names start and end with characters no legal form starts or
		// ends with; checking that first makes the NTA import (millions of
		// names) several times faster.
		if first, _ := utf8.DecodeRuneInString(s); formEdges.first[first] {
			for _, list := range [][]string{legalForms, legalAbbrevs} {
				for _, f := range list {
					if t, ok := strings.CutPrefix(s, f); ok {
						s, changed = trimNameSpace(t), true
					}
				}
			}
		}
		if last, _ := utf8.DecodeLastRuneInString(s); formEdges.last[last] {
			for _, list := range [][]string{legalForms, legalAbbrevs} {
				for _, f := range list {
					if t, ok := strings.CutSuffix(s, f); ok {
						s, changed = trimNameSpace(t), true
					}
				}
			}
		}
	}
	if s == "" {
		return orig
	}
	return s
}

// formEdges holds the first and last characters of every legal form.
var formEdges = func() (e struct{ first, last map[rune]bool }) {
	e.first, e.last = map[rune]bool{}, map[rune]bool{}
	for _, list := range [][]string{legalForms, legalAbbrevs} {
		for _, f := range list {
			r, _ := utf8.DecodeRuneInString(f)
			e.first[r] = true
			r, _ = utf8.DecodeLastRuneInString(f)
			e.last[r] = true
		}
	}
	return e
}()

func trimNameSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }
