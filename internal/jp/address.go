package jp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

var prefectures = []string{
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
	"茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
	"新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
	"静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
	"奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
	"徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
	"熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
}

// Prefectures returns the 47 prefectures in 都道府県コード order (北海道 = 01).
func Prefectures() []string { return append([]string(nil), prefectures...) }

// designatedCities are the 政令指定都市, whose addresses carry a ward (区)
// that belongs to the city part: 横浜市中区, 札幌市中央区.
var designatedCities = []string{
	"札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市",
	"新潟市", "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市",
	"神戸市", "岡山市", "広島市", "北九州市", "福岡市", "熊本市",
}

var tokyoWards = []string{
	"千代田区", "中央区", "港区", "新宿区", "文京区", "台東区", "墨田区", "江東区",
	"品川区", "目黒区", "大田区", "世田谷区", "渋谷区", "中野区", "杉並区", "豊島区",
	"北区", "荒川区", "板橋区", "練馬区", "足立区", "葛飾区", "江戸川区",
}

// oddCities are cities whose names contain 市 or 郡 before their final 市,
// which the "cut at the first 市" rule would split in the wrong place.
var oddCities = []string{
	"四日市市", "廿日市市", "野々市市", "市川市", "市原市", "郡山市", "大和郡山市", "郡上市",
}

// oddTowns are towns and villages whose names contain 町 or 村 before the
// end. 余市郡 is a district whose name contains 市.
var oddTowns = []string{"大町町", "村田町", "玉村町"}

// SplitAddress splits a Japanese address into prefecture, city and the rest:
//
//	東京都日野市旭が丘3-12-5      → 東京都 / 日野市 / 旭が丘3-12-5
//	神奈川県相模原市中央区中央2-11 → 神奈川県 / 相模原市中央区 / 中央2-11
//	東京都千代田区丸の内1-1       → 東京都 / 千代田区 / 丸の内1-1
//	東京都西多摩郡瑞穂町箱根ケ崎2335 → 東京都 / 西多摩郡瑞穂町 / 箱根ケ崎2335
//
// A ward of a 政令指定都市 belongs to the city part; a town or village keeps its
// 郡. A missing prefecture gives "" for it ("日野市…" still yields the city).
// It is a heuristic for display and search, not a geocoder: the text is
// split, not corrected, so the three parts joined (ignoring whitespace) give
// back the input. Invalid UTF-8 is dropped.
func SplitAddress(s string) (prefecture, city, rest string) {
	s = strings.TrimFunc(validUTF8(s), unicode.IsSpace)
	for _, p := range prefectures {
		if t, ok := strings.CutPrefix(s, p); ok {
			prefecture, s = p, strings.TrimLeftFunc(t, unicode.IsSpace)
			break
		}
	}
	n := cityLen(s, prefecture)
	return prefecture, s[:n], strings.TrimLeftFunc(s[n:], unicode.IsSpace)
}

// cityLen returns the byte length of the city part at the start of s.
func cityLen(s, prefecture string) int {
	for _, c := range designatedCities {
		if strings.HasPrefix(s, c) {
			n := len(c)
			if i := strings.Index(s[n:], "区"); i >= 0 && utf8.RuneCountInString(s[n:n+i]) <= 4 {
				n += i + len("区")
			}
			return n
		}
	}
	if prefecture == "東京都" || prefecture == "" {
		for _, w := range tokyoWards {
			if strings.HasPrefix(s, w) {
				return len(w)
			}
		}
	}
	for _, c := range oddCities {
		if strings.HasPrefix(s, c) {
			return len(c)
		}
	}
	if n := districtLen(s); n > 0 {
		return n
	}
	if i := strings.Index(s, "市"); i > 0 && utf8.RuneCountInString(s[:i]) <= 7 {
		return i + len("市")
	}
	// Island towns and villages of 東京都 (大島町, 八丈町 …) belong to no 郡.
	if prefecture != "" {
		if i := strings.IndexAny(s, "町村"); i > 0 && utf8.RuneCountInString(s[:i]) <= 4 {
			_, size := utf8.DecodeRuneInString(s[i:])
			return i + size
		}
	}
	return 0
}

// districtLen returns the length of "XX郡YY町" (or 村) at the start of s, or 0.
func districtLen(s string) int {
	i := strings.Index(s, "郡")
	if i <= 0 || utf8.RuneCountInString(s[:i]) > 4 || strings.Contains(s[:i], "市") && s[:i] != "余市" {
		return 0
	}
	n := i + len("郡")
	for _, t := range oddTowns {
		if strings.HasPrefix(s[n:], t) {
			return n + len(t)
		}
	}
	j := strings.IndexAny(s[n:], "町村")
	if j <= 0 || utf8.RuneCountInString(s[n:n+j]) > 5 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(s[n+j:])
	return n + j + size
}

// PrefectureOfCode returns the prefecture of a 全国地方公共団体コード (its
// first two digits are the 都道府県コード), or "".
func PrefectureOfCode(code string) string {
	if len(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' {
		return ""
	}
	n := int(code[0]-'0')*10 + int(code[1]-'0')
	if n < 1 || n > len(prefectures) {
		return ""
	}
	return prefectures[n-1]
}
