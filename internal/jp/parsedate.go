package jp

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

var (
	ErrDateFormat = newError(
		"日付として読み取れません（例: 2025-11-22、2025年11月22日、令和7年11月22日、R7.11.22）",
		"Not a date (examples: 2025-11-22, 2025年11月22日, 令和7年11月22日, R7.11.22)")
	ErrDateInvalid = newError(
		"存在しない日付です",
		"No such date")
	ErrWarekiOutOfEra = newError(
		"元号の期間外の日付です",
		"The date is outside the era")
	ErrWarekiTooEarly = newError(
		"明治6年（1873年）より前の和暦には対応していません",
		"Japanese era dates before Meiji 6 (1873) are not supported")
	ErrFiscalYearFormat = newError(
		"年度として読み取れません（例: 2025年度、令和7年度、R7年度）",
		"Not a fiscal year (examples: 2025年度, 令和7年度, R7年度)")
)

// prepareDate brings the many ways of typing a date to one alphabet: NFKC
// (full-width digits, ／, ．, and ㍻ → 平成), no spaces, and every hyphen-like
// character, including the ー an IME produces, as '-'.
func prepareDate(s string) []rune {
	rs := []rune(nfkc(s))
	out := rs[:0]
	for _, r := range rs {
		switch {
		case unicode.IsSpace(r):
		case isDashLike(r):
			out = append(out, '-')
		default:
			out = append(out, r)
		}
	}
	return out
}

// splitParen splits "X(Y)" into X and Y; Y is "" when there is no trailing
// parenthesis. Dates in the product are written "2025年11月22日(土)" or
// "2025年11月22日(令和7年11月22日)".
func splitParen(rs []rune) (main, paren []rune, ok bool) {
	if len(rs) == 0 || rs[len(rs)-1] != ')' {
		return rs, nil, true
	}
	open := -1
	for i := len(rs) - 2; i >= 0; i-- {
		if rs[i] == '(' {
			open = i
			break
		}
	}
	if open <= 0 {
		return nil, nil, false
	}
	return rs[:open], rs[open+1 : len(rs)-1], true
}

// isWeekday reports a weekday as written after a date: "土", "土曜", "土曜日",
// "Sat", "Sat.".
func isWeekday(rs []rune) bool {
	s := strings.TrimSuffix(strings.TrimSuffix(string(rs), "日"), "曜")
	if r := []rune(s); len(r) == 1 && strings.ContainsRune("日月火水木金土", r[0]) {
		return true
	}
	en := strings.ToLower(strings.TrimSuffix(string(rs), "."))
	return slices.Contains([]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, en)
}

// dateScanner reads the normalised runes of a date.
type dateScanner struct {
	rs []rune
	i  int
}

func (s *dateScanner) eof() bool { return s.i >= len(s.rs) }

func (s *dateScanner) accept(set string) (rune, bool) {
	if s.eof() || !strings.ContainsRune(set, s.rs[s.i]) {
		return 0, false
	}
	s.i++
	return s.rs[s.i-1], true
}

// number reads up to max ASCII digits, or up to three kanji numerals
// (十一, 二十二, 三〇), or 元 when gan is true. It returns -1 if there is none.
func (s *dateScanner) number(max int, gan bool) int {
	start := s.i
	n := 0
	for !s.eof() && s.i-start < max && s.rs[s.i] >= '0' && s.rs[s.i] <= '9' {
		n = n*10 + int(s.rs[s.i]-'0')
		s.i++
	}
	if s.i > start {
		return n
	}
	if gan && !s.eof() && s.rs[s.i] == '元' {
		s.i++
		return 1
	}
	return s.kanjiNumber()
}

const kanjiDigits = "〇一二三四五六七八九"

// kanjiNumber reads 1–99 written in kanji: either with 十 (十, 十一, 二十,
// 二十二) or digit by digit (二二, 三〇), the two styles used in formal dates.
func (s *dateScanner) kanjiNumber() int {
	start := s.i
	var ds []int
	ten := -1 // index in ds where 十 appeared
	for !s.eof() && s.i-start < 3 {
		r := s.rs[s.i]
		if d := strings.IndexRune(kanjiDigits, r); d >= 0 {
			ds = append(ds, d/len("〇"))
		} else if r == '十' && ten < 0 {
			ten = len(ds)
		} else {
			break
		}
		s.i++
	}
	switch {
	case s.i == start:
		return -1
	case ten < 0:
		n := 0
		for _, d := range ds {
			n = n*10 + d
		}
		return n
	case ten > 1 || len(ds)-ten > 1:
		s.i = start
		return -1
	default:
		tens, ones := 1, 0
		if ten == 1 {
			tens = ds[0]
		}
		if len(ds) > ten {
			ones = ds[ten]
		}
		return tens*10 + ones
	}
}

// era reads an era name (令和) or its letter (R, r) and returns its index.
func (s *dateScanner) era() int {
	if s.eof() {
		return -1
	}
	for i, e := range eras {
		name := []rune(e.Name)
		if s.i+len(name) <= len(s.rs) && string(s.rs[s.i:s.i+len(name)]) == e.Name {
			s.i += len(name)
			return i
		}
		if unicode.ToUpper(s.rs[s.i]) == rune(e.Abbrev[0]) {
			s.i++
			return i
		}
	}
	return -1
}

// monthDay reads the month and day after the year: "11月22日" when the
// year ended in 年, or "11.22" with the same separator as before.
func (s *dateScanner) monthDay(kanjiStyle bool, sep rune) (m, d int, ok bool) {
	if m = s.number(2, false); m < 0 {
		return 0, 0, false
	}
	if kanjiStyle {
		if _, ok := s.accept("月"); !ok {
			return 0, 0, false
		}
	} else if _, ok := s.accept(string(sep)); !ok {
		return 0, 0, false
	}
	if d = s.number(2, false); d < 0 {
		return 0, 0, false
	}
	s.accept("日")
	return m, d, s.eof()
}

// yearSep reads what follows a year: 年, or one of . / -.
func (s *dateScanner) yearSep() (kanjiStyle bool, sep rune, ok bool) {
	if _, ok := s.accept("年"); ok {
		return true, 0, true
	}
	sep, ok = s.accept("./-")
	return false, sep, ok
}

// makeDate returns the date at 00:00 JST, or ErrDateInvalid if the day does
// not exist (2月30日).
func makeDate(y, m, d int, label string) (time.Time, error) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, JST)
	if m < 1 || m > 12 || d < 1 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, ErrDateInvalid.detail(
			label+"は存在しない日付です",
			label+" does not exist")
	}
	return t, nil
}

// ParseWareki reads a 和暦 date: "令和7年11月22日", "令和元年5月1日",
// "平成３１年４月３０日" (full width), "R7.11.22", "H31/4/30", "S64.1.7",
// "令和七年十一月二十二日", "㍻31年4月30日", with an optional weekday "(土)".
// The result is 00:00 JST. A date outside its era is an error that unwraps to
// ErrWarekiOutOfEra (平成31年5月1日, 令和元年4月30日, 昭和64年1月8日); a day
// that does not exist gives ErrDateInvalid, and 明治 dates before 1873 give
// ErrWarekiTooEarly. An era year has at most three digits, so the common
// slip "R2025.4.1" (a 西暦 year after an era letter) is ErrDateFormat rather
// than a date in the 41st century.
func ParseWareki(s string) (time.Time, error) {
	main, paren, ok := splitParen(prepareDate(s))
	if !ok || len(paren) > 0 && !isWeekday(paren) {
		return time.Time{}, ErrDateFormat
	}
	return parseWareki(main)
}

func parseWareki(rs []rune) (time.Time, error) {
	sc := &dateScanner{rs: rs}
	ei := sc.era()
	if ei < 0 {
		return time.Time{}, ErrDateFormat
	}
	y := sc.number(3, true)
	if y < 0 {
		return time.Time{}, ErrDateFormat
	}
	kanjiStyle, sep, ok := sc.yearSep()
	if !ok {
		return time.Time{}, ErrDateFormat
	}
	m, d, ok := sc.monthDay(kanjiStyle, sep)
	if !ok {
		return time.Time{}, ErrDateFormat
	}
	e := eras[ei]
	label := fmt.Sprintf("%s%d月%d日", eraYear(e.Name, y), m, d)
	labelEN := fmt.Sprintf("%s %d, %s %d", e.NameEN, y, time.Month(max(1, min(m, 12))).String(), d)
	if y < 1 {
		return time.Time{}, ErrDateInvalid.detail(
			e.Name+"0年という年はありません（1年目は元年）",
			"There is no year 0 of an era (the first year is 1)")
	}
	t, err := makeDate(e.Start.Year()+y-1, m, d, label)
	if err != nil {
		return time.Time{}, err
	}
	if t.Before(gregorianStart) {
		return time.Time{}, ErrWarekiTooEarly
	}
	if t.Before(e.Start) {
		return time.Time{}, ErrWarekiOutOfEra.detail(
			fmt.Sprintf("%sは%sの始まり（%s）より前の日付です", label, e.Name, gregorianDate(e.Start)),
			fmt.Sprintf("%s is before the %s era began (%s)", labelEN, e.NameEN, e.Start.Format("2006-01-02")))
	}
	if ei+1 < len(eras) && !t.Before(eras[ei+1].Start) {
		last := eras[ei+1].Start.AddDate(0, 0, -1)
		return time.Time{}, ErrWarekiOutOfEra.detail(
			fmt.Sprintf("%sは%sの終わり（%s）より後の日付です", label, e.Name, gregorianDate(last)),
			fmt.Sprintf("%s is after the %s era ended (%s)", labelEN, e.NameEN, last.Format("2006-01-02")))
	}
	return t, nil
}

// ParseDate reads a date typed the way people in Japan type dates: 西暦
// "2025-11-22", "2025/11/22", "2025.11.22", "2025年11月22日", "20251122", in
// full or half width, and otherwise 和暦 as ParseWareki does. A trailing
// weekday "(土)" is ignored, and the product's own "2025年11月22日（令和7年11月22日）"
// is accepted when both halves agree. The result is 00:00 JST.
func ParseDate(s string) (time.Time, error) {
	main, paren, ok := splitParen(prepareDate(s))
	if !ok || len(main) == 0 {
		return time.Time{}, ErrDateFormat
	}
	t, err := parseDateOnly(main)
	if err != nil || len(paren) == 0 || isWeekday(paren) {
		return t, err
	}
	t2, err := parseDateOnly(paren)
	if err != nil || !t2.Equal(t) {
		return time.Time{}, ErrDateFormat.detail(
			"括弧の中と外で日付が一致しません",
			"The dates inside and outside the parentheses differ")
	}
	return t, nil
}

func parseDateOnly(rs []rune) (time.Time, error) {
	if len(rs) == 0 || rs[0] < '0' || rs[0] > '9' {
		return parseWareki(rs)
	}
	if len(rs) == 8 && isASCIIDigits(string(rs)) { // 20251122
		y, m, d := atoi(rs[:4]), atoi(rs[4:6]), atoi(rs[6:])
		return makeDate(y, m, d, fmt.Sprintf("%d年%d月%d日", y, m, d))
	}
	sc := &dateScanner{rs: rs}
	start := sc.i
	y := sc.number(4, false)
	if sc.i-start != 4 {
		return time.Time{}, ErrDateFormat
	}
	kanjiStyle, sep, ok := sc.yearSep()
	if !ok {
		return time.Time{}, ErrDateFormat
	}
	m, d, ok := sc.monthDay(kanjiStyle, sep)
	if !ok {
		return time.Time{}, ErrDateFormat
	}
	return makeDate(y, m, d, fmt.Sprintf("%d年%d月%d日", y, m, d))
}

func atoi(rs []rune) int {
	n := 0
	for _, r := range rs {
		n = n*10 + int(r-'0')
	}
	return n
}

// ParseFiscalYear reads a 年度: "2025年度", "2025", "FY2025", "令和7年度",
// "R7年度", "令和元年度", and the product's own "令和7年度（2025年度）". Both
// 平成31年度 and 令和元年度 give 2019. An era year whose 年度 does not overlap
// the era (平成32年度, 昭和64年度) is rejected with ErrWarekiOutOfEra.
func ParseFiscalYear(s string) (int, error) {
	main, paren, ok := splitParen(prepareDate(s))
	if !ok || len(main) == 0 {
		return 0, ErrFiscalYearFormat
	}
	fy, err := parseFiscalYearOnly(main)
	if err != nil || len(paren) == 0 {
		return fy, err
	}
	if fy2, err := parseFiscalYearOnly(paren); err != nil || fy2 != fy {
		return 0, ErrFiscalYearFormat.detail(
			"括弧の中と外で年度が一致しません",
			"The fiscal years inside and outside the parentheses differ")
	}
	return fy, nil
}

func parseFiscalYearOnly(rs []rune) (int, error) {
	str := strings.TrimSuffix(string(rs), "年度")
	if up := strings.ToUpper(str); strings.HasPrefix(up, "FY") {
		str = str[2:]
	}
	sc := &dateScanner{rs: []rune(str)}
	if isASCIIDigits(str) {
		if len(str) != 4 {
			return 0, ErrFiscalYearFormat
		}
		return atoi(sc.rs), nil
	}
	ei := sc.era()
	if ei < 0 {
		return 0, ErrFiscalYearFormat
	}
	n := sc.number(3, true)
	if n < 1 || !sc.eof() {
		return 0, ErrFiscalYearFormat
	}
	e := eras[ei]
	fy := e.Start.Year() + n - 1
	start, end := FiscalYearRange(fy)
	if !end.After(e.Start) || ei+1 < len(eras) && !start.Before(eras[ei+1].Start) {
		return 0, ErrWarekiOutOfEra.detail(
			fmt.Sprintf("%s度は%sの期間にかかりません", eraYear(e.Name, n), e.Name),
			fmt.Sprintf("Fiscal year %s %d does not overlap the %s era", e.NameEN, n, e.NameEN))
	}
	if !end.After(gregorianStart) {
		return 0, ErrWarekiTooEarly
	}
	return fy, nil
}
