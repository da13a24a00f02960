package jp

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// jsic.tsv holds the 日本標準産業分類 (Japan Standard Industrial
// Classification, rev. 14, 2023): every 大分類, 中分類, 小分類 and 細分類, one per
// line, with its parent. See the file's header for its source and what the
// English column covers.
//
//go:embed jsic.tsv
var jsicTSV string

// JSIC levels.
const (
	JSICLevelMajor  = "major"  // 大分類: a letter, A–T
	JSICLevelMiddle = "middle" // 中分類: 2 digits
	JSICLevelMinor  = "minor"  // 小分類: 3 digits
	JSICLevelDetail = "detail" // 細分類: 4 digits
)

// JSIC is one class of the 日本標準産業分類.
type JSIC struct {
	Code   string // "E", "24", "244", "2446"
	Name   string // 製缶板金業
	NameEN string // English name; empty below 中分類 outside 製造業
	Level  string // JSICLevelMajor, JSICLevelMiddle, JSICLevelMinor or JSICLevelDetail
	Parent string // "" for a 大分類
}

var (
	ErrJSICFormat = newError(
		"産業分類コードは大分類の英字1文字（A～T）か、2～4桁の数字です",
		"An industry code is a letter A–T or 2 to 4 digits")
	ErrJSICUnknown = newError(
		"日本標準産業分類（第14回改定）にない産業分類コードです",
		"The industry code is not in the Japan Standard Industrial Classification (rev. 14)")
)

type jsicIndex struct {
	byCode   map[string]JSIC
	children map[string][]JSIC
}

var jsicTable = sync.OnceValue(func() *jsicIndex {
	ix := &jsicIndex{byCode: map[string]JSIC{}, children: map[string][]JSIC{}}
	for line := range strings.Lines(jsicTSV) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			panic("jp: malformed jsic.tsv line: " + line)
		}
		j := JSIC{Code: f[0], Level: f[1], Name: f[2], Parent: f[3], NameEN: f[4]}
		ix.byCode[j.Code] = j
		ix.children[j.Parent] = append(ix.children[j.Parent], j)
	}
	return ix
})

// normalizeJSIC accepts full-width input and a lower-case letter.
func normalizeJSIC(code string) string {
	return strings.ToUpper(strings.TrimSpace(nfkc(code)))
}

// LookupJSIC returns the class with the given code: a 大分類 letter ("E"), a
// 中分類 ("24"), a 小分類 ("244") or a 細分類 ("2446").
func LookupJSIC(code string) (JSIC, bool) {
	j, ok := jsicTable().byCode[normalizeJSIC(code)]
	return j, ok
}

// ValidateJSIC reports whether code is a class of the classification:
// ErrJSICFormat if it cannot be one, ErrJSICUnknown if it is well formed but
// does not exist (such as "2400x" or "2447").
func ValidateJSIC(code string) error {
	c := normalizeJSIC(code)
	switch {
	case len(c) == 1 && c[0] >= 'A' && c[0] <= 'Z':
	case len(c) >= 2 && len(c) <= 4 && isASCIIDigits(c):
	default:
		return ErrJSICFormat
	}
	if _, ok := jsicTable().byCode[c]; !ok {
		return ErrJSICUnknown
	}
	return nil
}

// JSICMiddle returns the 2-digit 中分類 of a 2–4 digit code ("2446" → "24"),
// or "" for anything else. It does not check that the class exists.
func JSICMiddle(code string) string {
	c := normalizeJSIC(code)
	if len(c) < 2 || len(c) > 4 || !isASCIIDigits(c) {
		return ""
	}
	return c[:2]
}

// JSICMajorOf returns the 大分類 letter of any code ("2446" → "E", "E" → "E"),
// or "" if the code is not in the classification.
func JSICMajorOf(code string) string {
	c := normalizeJSIC(code)
	if j, ok := jsicTable().byCode[c]; ok && j.Level == JSICLevelMajor {
		return c
	}
	if j, ok := jsicTable().byCode[JSICMiddle(c)]; ok {
		if _, known := jsicTable().byCode[c]; known {
			return j.Parent
		}
	}
	return ""
}

// JSICChildren returns the classes directly below code, in code order; the
// 大分類 A–T for "". Nil for a 細分類 or an unknown code.
func JSICChildren(code string) []JSIC {
	c := normalizeJSIC(code)
	return slices.Clone(jsicTable().children[c])
}
