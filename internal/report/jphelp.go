package report

// Japanese helpers: dates from internal/jp; the 五十音 key and 行 and the JSIC
// 中分類 names are still private here (see sortKey).

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"mieruka/internal/jp"
)

// Dates come from internal/jp, the product's conventions for 和暦.

// warekiDate is 令和7年11月22日.
func warekiDate(t time.Time) string { return jp.FormatWareki(t) }

// warekiYear names a calendar year by its era (1989 → 昭和64年／平成元年).
func warekiYear(y int) string { return jp.WarekiYear(y) }

// fiscalYearLabel is 令和7年度（2025年度）.
func fiscalYearLabel(fy int) string { return jp.FormatFiscalYear(fy) }

// issueDate is 2025年11月22日（令和7年11月22日）, as dates are shown everywhere.
func issueDate(t time.Time) string { return jp.FormatDateBoth(t) }

// yen formats an amount of money the Japanese way: 1,000万円, 1億2,000万円, 300万円.
func yen(v int64) string {
	if v <= 0 {
		return ""
	}
	if v < 10000 {
		return group3(v) + "円"
	}
	oku, man := v/100000000, (v%100000000)/10000
	rest := v % 10000
	var b strings.Builder
	if oku > 0 {
		b.WriteString(group3(oku) + "億")
	}
	if man > 0 {
		b.WriteString(group3(man) + "万")
	}
	if rest > 0 {
		b.WriteString(group3(rest))
	}
	b.WriteString("円")
	return b.String()
}

func group3(v int64) string {
	s := strconv.FormatInt(v, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// sortKey orders names in 五十音 order by their reading: katakana and half-width
// forms fold to hiragana, voiced and small kana sort with their plain letter
// (ties broken by the exact reading), the long-vowel mark is ignored.
func sortKey(reading string) string {
	s := norm.NFKC.String(reading)
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 0x3099 || r == 0x309A: // combining (semi-)voiced marks
			continue
		case r >= 'ァ' && r <= 'ヶ':
			r -= 0x60
		case r == 'ー' || r == '・' || unicode.IsSpace(r):
			continue
		}
		if big, ok := smallKana[r]; ok {
			r = big
		}
		b.WriteRune(r)
	}
	return b.String() + "\x00" + s
}

var smallKana = map[rune]rune{'ぁ': 'あ', 'ぃ': 'い', 'ぅ': 'う', 'ぇ': 'え', 'ぉ': 'お', 'っ': 'つ', 'ゃ': 'や', 'ゅ': 'ゆ', 'ょ': 'よ', 'ゎ': 'わ', 'ゕ': 'か', 'ゖ': 'け'}

// gojuonRow is the 行 a reading starts in (あ行 … わ行), or "その他".
func gojuonRow(reading string) string {
	k := sortKey(reading)
	r, _ := firstRune(k)
	rows := []struct {
		name     string
		from, to rune
	}{
		{"あ行", 'あ', 'お'}, {"か行", 'か', 'ご'}, {"さ行", 'さ', 'ぞ'}, {"た行", 'た', 'ど'},
		{"な行", 'な', 'の'}, {"は行", 'は', 'ぽ'}, {"ま行", 'ま', 'も'}, {"や行", 'ゃ', 'よ'},
		{"ら行", 'ら', 'ろ'}, {"わ行", 'ゎ', 'ゔ'},
	}
	for _, row := range rows {
		if r >= row.from && r <= row.to {
			return row.name
		}
	}
	if r >= 'A' && r <= 'z' || r >= '0' && r <= '9' {
		return "英数字"
	}
	return "その他"
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// jsicMiddle names the 中分類 of 日本標準産業分類 (第14回改定) for manufacturing
// (大分類 E); codes outside it are named by the caller's JSICName or "その他".
var jsicMiddle = map[string]string{
	"09": "食料品製造業", "10": "飲料・たばこ・飼料製造業", "11": "繊維工業",
	"12": "木材・木製品製造業（家具を除く）", "13": "家具・装備品製造業",
	"14": "パルプ・紙・紙加工品製造業", "15": "印刷・同関連業", "16": "化学工業",
	"17": "石油製品・石炭製品製造業", "18": "プラスチック製品製造業（別掲を除く）",
	"19": "ゴム製品製造業", "20": "なめし革・同製品・毛皮製造業", "21": "窯業・土石製品製造業",
	"22": "鉄鋼業", "23": "非鉄金属製造業", "24": "金属製品製造業", "25": "はん用機械器具製造業",
	"26": "生産用機械器具製造業", "27": "業務用機械器具製造業",
	"28": "電子部品・デバイス・電子回路製造業", "29": "電気機械器具製造業",
	"30": "情報通信機械器具製造業", "31": "輸送用機械器具製造業", "32": "その他の製造業",
}
