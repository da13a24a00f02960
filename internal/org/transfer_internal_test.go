package org

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestTransferSplitJoinList(t *testing.T) {
	for in, want := range map[string]string{
		"切削加工、研削加工":            "切削加工|研削加工",
		"切削加工, 研削加工；放電加工;旋盤":   "切削加工|研削加工|放電加工|旋盤",
		"NC旋盤（DMG, 2台）、三次元測定機": "NC旋盤（DMG, 2台）|三次元測定機",
		"A(x,y),B":      "A(x,y)|B",
		"一行目、読点\r\n二行目": "一行目、読点|二行目",
		" 、 ,,":         "",
		"括弧が）閉じすぎ、次":    "括弧が）閉じすぎ|次",
		"ボルト、ナット\n":     "ボルト、ナット",
	} {
		if got := strings.Join(splitList(in), "|"); got != want {
			t.Errorf("splitList(%q) = %q, want %q", in, got, want)
		}
	}
	for _, items := range [][]string{
		{"切削加工", "研削加工"}, {"ボルト、ナット"}, {"人工関節部品", "ボルト、ナット"}, {"A,B"}, {"NC旋盤（DMG, 2台）", "NC旋盤"}, {"x"}, nil,
	} {
		j := joinList(items)
		if got := splitList(j); !slices.Equal(got, items) && !(len(got) == 0 && len(items) == 0) {
			t.Errorf("%q → %q → %q", items, j, got)
		}
	}
	if joinList([]string{"a", "b"}) != "a、b" {
		t.Error("plain lists are joined with 、")
	}
}

func TestTransferParseNumbers(t *testing.T) {
	for in, want := range map[string]int64{
		"25": 25, "1,000": 1000, "１，０００人": 1000, "25.0": 25, "1000万円": 10_000_000, "1億2,000万円": 120_000_000,
		"3千万": 30_000_000, "5百万円": 5_000_000, "¥3,000,000": 3_000_000, "": 0, " ": 0, "-3": -3,
	} {
		if got, err := parseAmount(in); err != nil || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1.5", "abc", "1e6", "万", "1万2億", "0x10", "12三"} {
		if got, err := parseAmount(in); err == nil {
			t.Errorf("parseAmount(%q) = %d, want an error", in, got)
		}
	}
	for in, want := range map[string]int{"1975": 1975, "1975年": 1975, "1975/4/1": 1975, "昭和50年": 1975, "S50": 1975, "平成元年": 1989, "令和2年": 2020, "": 0, "１９７５": 1975} {
		if got, err := parseYear(in); err != nil || got != want {
			t.Errorf("parseYear(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"昭和", "平成x年", "西暦", "12345"} {
		if got, err := parseYear(in); err == nil {
			t.Errorf("parseYear(%q) = %d, want an error", in, got)
		}
	}
}

func TestTransferFormulaGuard(t *testing.T) {
	for _, s := range []string{"=1+1", "+81-42", "-5", "@SUM(A1)", "'=x", "''=x", "'", "'abc", "plain", "", "\tx", "a=b"} {
		g := guardFormula(s)
		if len(g) > 0 && strings.ContainsRune("=+-@\t\r", rune(g[0])) {
			t.Errorf("guardFormula(%q) = %q still starts like a formula", s, g)
		}
		if back := unguardFormula(g); back != s {
			t.Errorf("%q → %q → %q", s, g, back)
		}
	}
	if guardFormula("a=b") != "a=b" || guardFormula("'abc") != "'abc" {
		t.Error("guards values that need none")
	}
}

func TestTransferColumns(t *testing.T) {
	for h, key := range map[string]string{
		"名称": "name", "Name": "name", "name_kana": "name_kana", "Name Kana": "name_kana", "資本金(円)": "capital_yen", "資本金": "capital_yen",
		"ＵＲＬ": "url", "公開範囲：規模": "visibility.scale", "visibility_scale": "visibility.scale", "E-Mail": "contacts[0].email",
		"\ufeffID": "id", "department": "department", "部署": "contacts[0].department", "名称*": "name", "住所": "address",
	} {
		if c := columnsByHeader[headerKey(h)]; c == nil || c.key != key {
			t.Errorf("header %q → %v, want %s", h, c, key)
		}
	}
	for field, key := range map[string]string{"equipment[2].name": "equipment", "contacts[0].email": "contacts[0].email", "address.city": "address.city", "visibility.pr": "visibility.pr"} {
		if c := columnForField(field); c == nil || c.key != key {
			t.Errorf("field %s → %v, want %s", field, c, key)
		}
	}
	if c := columnForField("contacts[1].email"); c != nil {
		t.Errorf("contacts[1].email has the column %s", c.key)
	}
	// Every export column has a header and a width; every importable one
	// a setter, or is read as a meta column.
	for _, c := range columns {
		if (!c.noOut && (c.ja == "" || c.width == 0 || c.get == nil)) || (!c.noIn && !c.meta && c.set == nil) {
			t.Errorf("column %s is incomplete", c.key)
		}
	}
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnName(i); got != want {
			t.Errorf("columnName(%d) = %s, want %s", i, got, want)
		}
	}
	for cur, cases := range map[string][2]string{"0911": {"911", "0911"}, "0425851111": {"425851111", "0425851111"}, "2464": {"2464", "2464"}, "0911 ": {"912", "912"}} {
		if got := keepLeadingZeros(cur, cases[0]); got != cases[1] {
			t.Errorf("keepLeadingZeros(%q, %q) = %q, want %q", cur, cases[0], got, cases[1])
		}
	}
}

func TestTransferValidUTF8AcrossChunks(t *testing.T) {
	// A three-byte character cut by the 256 KiB read boundary is still valid.
	for pad := 0; pad < 4; pad++ {
		b := bytes.Repeat([]byte("a"), 256<<10-pad)
		b = append(b, []byte("日本語")...)
		if ok, err := validUTF8(bytes.NewReader(b)); !ok || err != nil {
			t.Errorf("pad %d: valid UTF-8 rejected (%v)", pad, err)
		}
		b = append(b, 0x93, 0xfa) // Shift_JIS 日
		if ok, _ := validUTF8(bytes.NewReader(b)); ok {
			t.Errorf("pad %d: Shift_JIS taken for UTF-8", pad)
		}
	}
}
