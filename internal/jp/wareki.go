package jp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// JST is Japan Standard Time (UTC+9, no daylight saving since 1952). A fixed
// zone rather than time.LoadLocation("Asia/Tokyo") so that the binary needs no
// time zone database: dates, 和暦 and 年度 all turn on the Japanese calendar
// day, which this zone gives exactly for every date the product handles.
var JST = time.FixedZone("JST", 9*60*60)

// Era is a Japanese era (元号). Start is its first day at 00:00 JST.
type Era struct {
	Name   string // 令和
	NameEN string // Reiwa
	Abbrev string // R, as in "R7.11.22"
	Start  time.Time
}

// eras, oldest first.
//
// 明治 starts on 1868-01-25, the Gregorian date of 慶応4年1月1日: the 改元の詔
// of 慶応4年9月8日 (1868-10-23, the "conventional" date) made 明治 apply from
// the first day of that year, so years count from 1868 either way. Nothing
// here converts dates before 1873-01-01 (see gregorianStart), so the choice
// only shows in Eras()[0].Start.
var eras = []Era{
	{"明治", "Meiji", "M", time.Date(1868, 1, 25, 0, 0, 0, 0, JST)},
	{"大正", "Taisho", "T", time.Date(1912, 7, 30, 0, 0, 0, 0, JST)},
	{"昭和", "Showa", "S", time.Date(1926, 12, 25, 0, 0, 0, 0, JST)},
	{"平成", "Heisei", "H", time.Date(1989, 1, 8, 0, 0, 0, 0, JST)},
	{"令和", "Reiwa", "R", time.Date(2019, 5, 1, 0, 0, 0, 0, JST)},
}

// gregorianStart is 明治6年1月1日, the day Japan adopted the Gregorian
// calendar. Earlier dates were lunisolar: converting them needs tables this
// package does not carry, and no company record in the product needs them.
var gregorianStart = time.Date(1873, 1, 1, 0, 0, 0, 0, JST)

// Eras returns the supported eras, oldest first.
func Eras() []Era { return slices.Clone(eras) }

// EraOf returns the era of t (taken in JST) and the year within it, 1 being
// 元年. ok is false before 1873-01-01, where 和暦 would need the old calendar.
func EraOf(t time.Time) (era Era, year int, ok bool) {
	t = t.In(JST)
	if t.Before(gregorianStart) {
		return Era{}, 0, false
	}
	i := eraIndexAt(t)
	return eras[i], t.Year() - eras[i].Start.Year() + 1, true
}

// eraIndexAt returns the index of the era in force at t (t ≥ 明治).
func eraIndexAt(t time.Time) int {
	for i := len(eras) - 1; i > 0; i-- {
		if !t.Before(eras[i].Start) {
			return i
		}
	}
	return 0
}

// eraYear writes "令和7年", or "令和元年" for the first year, as Japanese
// documents always do.
func eraYear(name string, year int) string {
	if year == 1 {
		return name + "元年"
	}
	return name + strconv.Itoa(year) + "年"
}

func gregorianDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// FormatWareki formats t (in JST) as "令和7年11月22日", with 元年 for the first
// year of an era ("令和元年5月1日"). Dates before 1873 come out in 西暦
// ("1850年1月1日") since they have no 和暦 here.
func FormatWareki(t time.Time) string {
	t = t.In(JST)
	e, y, ok := EraOf(t)
	if !ok {
		return gregorianDate(t)
	}
	return fmt.Sprintf("%s%d月%d日", eraYear(e.Name, y), int(t.Month()), t.Day())
}

// FormatWarekiEN gives the English form used next to a 和暦 year, "Reiwa 7
// (2025)", or just "1850" before 1873.
func FormatWarekiEN(t time.Time) string {
	t = t.In(JST)
	e, y, ok := EraOf(t)
	if !ok {
		return strconv.Itoa(t.Year())
	}
	return fmt.Sprintf("%s %d (%d)", e.NameEN, y, t.Year())
}

// FormatDateBoth gives the 西暦 and 和暦 side by side, the way the product
// shows dates everywhere: "2025年11月22日（令和7年11月22日）". Before 1873
// only the 西暦 part is shown.
func FormatDateBoth(t time.Time) string {
	t = t.In(JST)
	if _, _, ok := EraOf(t); !ok {
		return gregorianDate(t)
	}
	return gregorianDate(t) + "（" + FormatWareki(t) + "）"
}

// WarekiYear names a Gregorian year alone, as for a founding year: "令和7年".
// A year in which an era began part-way through belongs to two eras, and both
// are given, older first: 1989 → "昭和64年／平成元年", 2019 → "平成31年／令和元年".
// Years before 1873 are returned in 西暦 ("1868年").
func WarekiYear(year int) string {
	if year < gregorianStart.Year() {
		return strconv.Itoa(year) + "年"
	}
	jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, JST)
	i := eraIndexAt(jan1)
	parts := []string{eraYear(eras[i].Name, year-eras[i].Start.Year()+1)}
	for _, e := range eras[i+1:] {
		if e.Start.Year() == year {
			parts = append(parts, eraYear(e.Name, 1))
		}
	}
	return strings.Join(parts, "／")
}
