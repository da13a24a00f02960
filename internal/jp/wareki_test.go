package jp

import (
	"errors"
	"testing"
	"time"
)

func jst(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, JST) }

func TestEraStarts(t *testing.T) {
	want := []struct {
		name, abbrev string
		y, m, d      int
	}{
		{"明治", "M", 1868, 1, 25}, {"大正", "T", 1912, 7, 30}, {"昭和", "S", 1926, 12, 25},
		{"平成", "H", 1989, 1, 8}, {"令和", "R", 2019, 5, 1},
	}
	es := Eras()
	if len(es) != len(want) {
		t.Fatalf("%d eras", len(es))
	}
	for i, w := range want {
		if es[i].Name != w.name || es[i].Abbrev != w.abbrev || !es[i].Start.Equal(jst(w.y, w.m, w.d)) {
			t.Errorf("era %d = %+v; want %+v", i, es[i], w)
		}
	}
	es[0].Name = "x" // Eras returns a copy
	if Eras()[0].Name != "明治" {
		t.Error("Eras leaks its table")
	}
}

func TestEraOf(t *testing.T) {
	tests := []struct {
		t    time.Time
		name string
		year int
		ok   bool
	}{
		{jst(2025, 11, 22), "令和", 7, true},
		{jst(2019, 5, 1), "令和", 1, true},
		{jst(2019, 4, 30), "平成", 31, true},
		{time.Date(2019, 4, 30, 15, 0, 0, 0, time.UTC), "令和", 1, true}, // 2019-05-01 00:00 JST
		{time.Date(2019, 4, 30, 14, 59, 59, 0, time.UTC), "平成", 31, true},
		{jst(1989, 1, 7), "昭和", 64, true},
		{jst(1989, 1, 8), "平成", 1, true},
		{jst(1926, 12, 24), "大正", 15, true},
		{jst(1926, 12, 25), "昭和", 1, true},
		{jst(1912, 7, 29), "明治", 45, true},
		{jst(1912, 7, 30), "大正", 1, true},
		{jst(1873, 1, 1), "明治", 6, true},
		{jst(1872, 12, 31), "", 0, false},
	}
	for _, tt := range tests {
		e, y, ok := EraOf(tt.t)
		if e.Name != tt.name || y != tt.year || ok != tt.ok {
			t.Errorf("EraOf(%v) = %s %d %v; want %s %d %v", tt.t, e.Name, y, ok, tt.name, tt.year, tt.ok)
		}
	}
}

func TestFormatWareki(t *testing.T) {
	tests := []struct {
		t                time.Time
		wareki, en, both string
	}{
		{jst(2025, 11, 22), "令和7年11月22日", "Reiwa 7 (2025)", "2025年11月22日（令和7年11月22日）"},
		{jst(2019, 5, 1), "令和元年5月1日", "Reiwa 1 (2019)", "2019年5月1日（令和元年5月1日）"},
		{jst(2019, 4, 30), "平成31年4月30日", "Heisei 31 (2019)", "2019年4月30日（平成31年4月30日）"},
		{jst(1989, 1, 7), "昭和64年1月7日", "Showa 64 (1989)", "1989年1月7日（昭和64年1月7日）"},
		{jst(1989, 1, 8), "平成元年1月8日", "Heisei 1 (1989)", "1989年1月8日（平成元年1月8日）"},
		{jst(1912, 7, 30), "大正元年7月30日", "Taisho 1 (1912)", "1912年7月30日（大正元年7月30日）"},
		{jst(1873, 1, 1), "明治6年1月1日", "Meiji 6 (1873)", "1873年1月1日（明治6年1月1日）"},
		{jst(1850, 1, 1), "1850年1月1日", "1850", "1850年1月1日"},
		// 2025-11-21 20:00 UTC is already the 22nd in Japan.
		{time.Date(2025, 11, 21, 20, 0, 0, 0, time.UTC), "令和7年11月22日", "Reiwa 7 (2025)", "2025年11月22日（令和7年11月22日）"},
	}
	for _, tt := range tests {
		if got := FormatWareki(tt.t); got != tt.wareki {
			t.Errorf("FormatWareki(%v) = %q; want %q", tt.t, got, tt.wareki)
		}
		if got := FormatWarekiEN(tt.t); got != tt.en {
			t.Errorf("FormatWarekiEN(%v) = %q; want %q", tt.t, got, tt.en)
		}
		if got := FormatDateBoth(tt.t); got != tt.both {
			t.Errorf("FormatDateBoth(%v) = %q; want %q", tt.t, got, tt.both)
		}
	}
}

func TestWarekiYear(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2025, "令和7年"},
		{2020, "令和2年"},
		{2019, "平成31年／令和元年"},
		{2018, "平成30年"},
		{1990, "平成2年"},
		{1989, "昭和64年／平成元年"},
		{1927, "昭和2年"},
		{1926, "大正15年／昭和元年"},
		{1913, "大正2年"},
		{1912, "明治45年／大正元年"},
		{1873, "明治6年"},
		{1868, "1868年"},
	}
	for _, tt := range tests {
		if got := WarekiYear(tt.year); got != tt.want {
			t.Errorf("WarekiYear(%d) = %q; want %q", tt.year, got, tt.want)
		}
	}
}

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		t        time.Time
		fy, half int
	}{
		{jst(2025, 4, 1), 2025, 1},
		{jst(2025, 9, 30), 2025, 1},
		{jst(2025, 10, 1), 2025, 2},
		{jst(2026, 3, 31), 2025, 2},
		{jst(2026, 1, 1), 2025, 2},
		{time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC), 2026, 1}, // 2026-04-01 00:00 JST
		{time.Date(2026, 3, 31, 14, 59, 0, 0, time.UTC), 2025, 2},
	}
	for _, tt := range tests {
		if got := FiscalYear(tt.t); got != tt.fy {
			t.Errorf("FiscalYear(%v) = %d; want %d", tt.t, got, tt.fy)
		}
		if fy, h := FiscalHalf(tt.t); fy != tt.fy || h != tt.half {
			t.Errorf("FiscalHalf(%v) = %d, %d; want %d, %d", tt.t, fy, h, tt.fy, tt.half)
		}
	}
	start, end := FiscalYearRange(2025)
	if !start.Equal(jst(2025, 4, 1)) || !end.Equal(jst(2026, 4, 1)) {
		t.Errorf("FiscalYearRange(2025) = %v, %v", start, end)
	}
	if FiscalYear(start) != 2025 || FiscalYear(end) != 2026 || FiscalYear(end.Add(-time.Nanosecond)) != 2025 {
		t.Error("FiscalYearRange is not [start, end)")
	}
}

func TestFormatFiscalYear(t *testing.T) {
	tests := []struct {
		fy     int
		ja, en string
	}{
		{2025, "令和7年度（2025年度）", "FY2025 (Reiwa 7)"},
		{2019, "令和元年度（2019年度）", "FY2019 (Reiwa 1)"},
		{2018, "平成30年度（2018年度）", "FY2018 (Heisei 30)"},
		{1989, "平成元年度（1989年度）", "FY1989 (Heisei 1)"},
		{1988, "昭和63年度（1988年度）", "FY1988 (Showa 63)"},
		{1926, "大正15年度（1926年度）", "FY1926 (Taisho 15)"},
		{1850, "1850年度", "FY1850"},
	}
	for _, tt := range tests {
		if got := FormatFiscalYear(tt.fy); got != tt.ja {
			t.Errorf("FormatFiscalYear(%d) = %q; want %q", tt.fy, got, tt.ja)
		}
		if got := FormatFiscalYearEN(tt.fy); got != tt.en {
			t.Errorf("FormatFiscalYearEN(%d) = %q; want %q", tt.fy, got, tt.en)
		}
	}
}

func TestParseWareki(t *testing.T) {
	ok := []struct {
		in   string
		want time.Time
	}{
		{"令和元年5月1日", jst(2019, 5, 1)},
		{"令和7年11月22日", jst(2025, 11, 22)},
		{"令和1年5月1日", jst(2019, 5, 1)},
		{"R7.11.22", jst(2025, 11, 22)},
		{"r7.11.22", jst(2025, 11, 22)},
		{"H31/4/30", jst(2019, 4, 30)},
		{"平成３１年４月３０日", jst(2019, 4, 30)},
		{"S64.1.7", jst(1989, 1, 7)},
		{"H1.1.8", jst(1989, 1, 8)},
		{"R07-11-22", jst(2025, 11, 22)},
		{"Ｒ７．１１．２２", jst(2025, 11, 22)},
		{" 令和 7 年 11 月 22 日 ", jst(2025, 11, 22)},
		{"令和7年11月22日（土）", jst(2025, 11, 22)},
		{"令和7年11月22日(土曜日)", jst(2025, 11, 22)},
		{"令和七年十一月二十二日", jst(2025, 11, 22)},
		{"令和元年五月一日", jst(2019, 5, 1)},
		{"令和二年三月三〇日", jst(2020, 3, 30)},
		{"㍻31年4月30日", jst(2019, 4, 30)},
		{"㋿元年5月1日", jst(2019, 5, 1)},
		{"大正元年7月30日", jst(1912, 7, 30)},
		{"明治6年1月1日", jst(1873, 1, 1)},
		{"M45.7.29", jst(1912, 7, 29)},
		{"令和7年11月22", jst(2025, 11, 22)},
		{"H31ー4ー30", jst(2019, 4, 30)},
	}
	for _, tt := range ok {
		got, err := ParseWareki(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != JST {
			t.Errorf("ParseWareki(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"平成31年5月1日", ErrWarekiOutOfEra},
		{"令和元年4月30日", ErrWarekiOutOfEra},
		{"昭和64年1月8日", ErrWarekiOutOfEra},
		{"H31.5.1", ErrWarekiOutOfEra},
		{"大正15年12月25日", ErrWarekiOutOfEra},
		{"平成元年1月7日", ErrWarekiOutOfEra},
		{"令和7年2月29日", ErrDateInvalid},
		{"令和7年13月1日", ErrDateInvalid},
		{"令和7年4月31日", ErrDateInvalid},
		{"令和0年5月1日", ErrDateInvalid},
		{"明治5年12月2日", ErrWarekiTooEarly},
		{"2025年11月22日", ErrDateFormat},
		{"令和", ErrDateFormat},
		{"令和7年", ErrDateFormat},
		{"令和7年11月22日x", ErrDateFormat},
		{"R7.11/22", ErrDateFormat},
		{"R7年11.22", ErrDateFormat},
		{"X7.11.22", ErrDateFormat},
		{"令和7年11月22日(明日)", ErrDateFormat},
		{"", ErrDateFormat},
		{"令和十十年1月1日", ErrDateFormat},
		{"R2025.4.1", ErrDateFormat},
	}
	for _, tt := range bad {
		if got, err := ParseWareki(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseWareki(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	_, err := ParseWareki("平成31年5月1日")
	var e *Error
	if !errors.As(err, &e) || e.JA != "平成31年5月1日は平成の終わり（2019年4月30日）より後の日付です" ||
		e.EN != "Heisei 31, May 1 is after the Heisei era ended (2019-04-30)" {
		t.Errorf("unclear error %q / %q", e.JA, e.EN)
	}
	_, err = ParseWareki("令和元年4月30日")
	if !errors.As(err, &e) || e.JA != "令和元年4月30日は令和の始まり（2019年5月1日）より前の日付です" {
		t.Errorf("unclear error %q", e.JA)
	}
}

func TestParseDate(t *testing.T) {
	ok := []struct {
		in   string
		want time.Time
	}{
		{"2025-11-22", jst(2025, 11, 22)},
		{"2025/11/22", jst(2025, 11, 22)},
		{"2025/1/2", jst(2025, 1, 2)},
		{"2025.11.22", jst(2025, 11, 22)},
		{"2025年11月22日", jst(2025, 11, 22)},
		{"２０２５年１１月２２日", jst(2025, 11, 22)},
		{"２０２５－１１－２２", jst(2025, 11, 22)},
		{"20251122", jst(2025, 11, 22)},
		{"2025年11月22日(土)", jst(2025, 11, 22)},
		{"2025年11月22日（令和7年11月22日）", jst(2025, 11, 22)},
		{"令和7年11月22日", jst(2025, 11, 22)},
		{"R7.11.22", jst(2025, 11, 22)},
		{"1850-01-01", jst(1850, 1, 1)}, // 西暦 needs no era
		{"2024-02-29", jst(2024, 2, 29)},
	}
	for _, tt := range ok {
		got, err := ParseDate(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", ErrDateFormat},
		{"2025", ErrDateFormat},
		{"25-11-22", ErrDateFormat},
		{"2025-11", ErrDateFormat},
		{"2025-11-22-1", ErrDateFormat},
		{"2025/11-22", ErrDateFormat},
		{"2025-02-29", ErrDateInvalid},
		{"20250230", ErrDateInvalid},
		{"2025年11月22日（令和7年11月23日）", ErrDateFormat},
		{"平成31年5月1日", ErrWarekiOutOfEra},
		{"tomorrow", ErrDateFormat},
		{"(土)", ErrDateFormat},
	}
	for _, tt := range bad {
		if got, err := ParseDate(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseFiscalYear(t *testing.T) {
	ok := []struct {
		in   string
		want int
	}{
		{"2025年度", 2025}, {"2025", 2025}, {"FY2025", 2025}, {"ｆｙ２０２５", 2025},
		{"令和7年度", 2025}, {"R7年度", 2025}, {"R7", 2025}, {"令和元年度", 2019},
		{"平成31年度", 2019}, {"昭和63年度", 1988}, {"令和7年度（2025年度）", 2025},
	}
	for _, tt := range ok {
		if got, err := ParseFiscalYear(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseFiscalYear(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", ErrFiscalYearFormat}, {"25年度", ErrFiscalYearFormat}, {"2025年", ErrFiscalYearFormat},
		{"令和年度", ErrFiscalYearFormat}, {"令和0年度", ErrFiscalYearFormat},
		{"平成32年度", ErrWarekiOutOfEra}, {"昭和64年度", ErrWarekiOutOfEra},
		{"令和7年度（2024年度）", ErrFiscalYearFormat},
	}
	for _, tt := range bad {
		if got, err := ParseFiscalYear(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseFiscalYear(%q) = %d, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for fy := 1900; fy <= 2100; fy++ {
		if got, err := ParseFiscalYear(FormatFiscalYear(fy)); err != nil || got != fy {
			t.Errorf("ParseFiscalYear(FormatFiscalYear(%d)) = %d, %v", fy, got, err)
		}
	}
}

// Every day from 1873 to 2100 survives FormatWareki → ParseWareki and
// FormatDateBoth → ParseDate.
func TestWarekiRoundTrip(t *testing.T) {
	for d := jst(1873, 1, 1); d.Year() <= 2100; d = d.AddDate(0, 0, 1) {
		if got, err := ParseWareki(FormatWareki(d)); err != nil || !got.Equal(d) {
			t.Fatalf("ParseWareki(%q) = %v, %v; want %v", FormatWareki(d), got, err, d)
		}
		if got, err := ParseDate(FormatDateBoth(d)); err != nil || !got.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", FormatDateBoth(d), got, err, d)
		}
	}
}

func fuzzDateSeeds(f *testing.F) {
	for _, s := range []string{
		"令和元年5月1日", "令和7年11月22日", "R7.11.22", "H31/4/30", "平成３１年４月３０日", "S64.1.7",
		"平成31年5月1日", "令和七年十一月二十二日", "2025-11-22", "2025年11月22日（令和7年11月22日）",
		"20251122", "㍻31年4月30日(火)", "M6.1.1", "令和7年度（2025年度）", "FY2025",
	} {
		f.Add(s)
	}
}

func checkParsedDate(t *testing.T, in string, got time.Time, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.JA == "" || e.EN == "" {
			t.Fatalf("%q: error %v is not a bilingual *Error", in, err)
		}
		return
	}
	if got.Location() != JST || got.Hour() != 0 || got.Minute() != 0 || got.Nanosecond() != 0 {
		t.Fatalf("%q: %v is not midnight JST", in, got)
	}
}

func FuzzParseWareki(f *testing.F) {
	fuzzDateSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseWareki(s)
		checkParsedDate(t, s, got, err)
		if err == nil {
			// Whatever was accepted formats back to the same day.
			if back, err := ParseWareki(FormatWareki(got)); err != nil || !back.Equal(got) {
				t.Fatalf("%q → %v → %q → %v, %v", s, got, FormatWareki(got), back, err)
			}
			if _, _, ok := EraOf(got); !ok {
				t.Fatalf("%q accepted before 1873: %v", s, got)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	fuzzDateSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		checkParsedDate(t, s, got, err)
		if _, y, ok := EraOf(got); err == nil && ok && y <= 999 { // era years have at most 3 digits
			if back, err := ParseDate(FormatDateBoth(got)); err != nil || !back.Equal(got) {
				t.Fatalf("%q → %v → %q → %v, %v", s, got, FormatDateBoth(got), back, err)
			}
		}
	})
}

func FuzzParseFiscalYear(f *testing.F) {
	fuzzDateSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		fy, err := ParseFiscalYear(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.JA == "" || e.EN == "" {
				t.Fatalf("%q: error %v is not a bilingual *Error", s, err)
			}
			return
		}
		if _, y, ok := EraOf(fiscalEraAt(fy)); ok && y <= 999 {
			if back, err := ParseFiscalYear(FormatFiscalYear(fy)); err != nil || back != fy {
				t.Fatalf("%q → %d → %q → %d, %v", s, fy, FormatFiscalYear(fy), back, err)
			}
		}
	})
}
