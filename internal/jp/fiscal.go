package jp

import (
	"strconv"
	"time"
)

// 年度 (fiscal year) N runs from April 1 of N to March 31 of N+1 in JST, for
// the national government, municipalities and most companies alike.

// FiscalYear returns the 年度 that t (taken in JST) falls in.
func FiscalYear(t time.Time) int {
	t = t.In(JST)
	if t.Month() >= time.April {
		return t.Year()
	}
	return t.Year() - 1
}

// FiscalYearRange returns the half-open interval [start, end) of 年度 fy:
// April 1 of fy 00:00 JST, and April 1 of fy+1 00:00 JST. Use it for SQL
// ranges (start <= x AND x < end) so that nothing on March 31 is lost.
func FiscalYearRange(fy int) (start, end time.Time) {
	return time.Date(fy, time.April, 1, 0, 0, 0, 0, JST),
		time.Date(fy+1, time.April, 1, 0, 0, 0, 0, JST)
}

// FiscalHalf returns the 年度 of t and its half for council reviews: 1 for
// 上期 (April–September), 2 for 下期 (October–March).
func FiscalHalf(t time.Time) (fy int, half int) {
	t = t.In(JST)
	fy = FiscalYear(t)
	if t.Month() >= time.April && t.Month() <= time.September {
		return fy, 1
	}
	return fy, 2
}

// fiscalEraAt is the day whose era names a 年度: its midpoint, October 1.
//
// Convention: a 年度 takes the era in force for most of it. That gives
// 令和元年度 for FY2019 (April 2019 was still 平成, but municipalities and
// ministries renamed the year 令和元年度 once the era changed and use that
// name in every later document), and 昭和63年度 for FY1988 (which ended in
// 平成). The other name, 平成31年度, appears on documents written before
// 2019-05-01; ParseFiscalYear accepts it.
func fiscalEraAt(fy int) time.Time { return time.Date(fy, time.October, 1, 0, 0, 0, 0, JST) }

// FormatFiscalYear names 年度 fy with its era and 西暦: "令和7年度（2025年度）",
// "令和元年度（2019年度）" (see fiscalEraAt for the FY2019 convention). Years
// before 1873 are given in 西暦 alone.
func FormatFiscalYear(fy int) string {
	g := strconv.Itoa(fy) + "年度"
	e, y, ok := EraOf(fiscalEraAt(fy))
	if !ok {
		return g
	}
	return eraYear(e.Name, y) + "度（" + g + "）"
}

// FormatFiscalYearEN gives "FY2025 (Reiwa 7)".
func FormatFiscalYearEN(fy int) string {
	g := "FY" + strconv.Itoa(fy)
	e, y, ok := EraOf(fiscalEraAt(fy))
	if !ok {
		return g
	}
	return g + " (" + e.NameEN + " " + strconv.Itoa(y) + ")"
}
