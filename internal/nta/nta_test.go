package nta_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"mieruka/internal/nta"
	"mieruka/internal/nta/ntagen"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

func gen(t *testing.T, n int, o ntagen.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ntagen.Write(&b, n, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		data := gen(t, 3000, ntagen.Options{Seed: 1, BadEvery: 100})
		rep, err := nta.Import(ctx, db, bytes.NewReader(data), nta.Options{BatchSize: 700})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 3000 || rep.Bad != 30 || rep.Imported != 2970 || len(rep.Errors) != 30 {
			t.Fatalf("report: rows %d bad %d imported %d errors %d", rep.Rows, rep.Bad, rep.Imported, len(rep.Errors))
		}
		for i, e := range rep.Errors {
			if e.Line != (i+1)*100 {
				t.Errorf("bad row %d reported at line %d, want %d (%s)", i, e.Line, (i+1)*100, e.EN)
			}
			if e.JA == "" || e.EN == "" {
				t.Errorf("bad row without a message: %+v", e)
			}
		}
		if !strings.Contains(rep.Errors[0].JA, "列の数") && !strings.Contains(rep.Errors[0].JA, "チェックデジット") && !strings.Contains(rep.Errors[0].JA, "年月日") {
			t.Errorf("unexpected message %q", rep.Errors[0].JA)
		}
		n, _ := nta.Count(ctx, db)
		if n != 2970 {
			t.Fatalf("%d corporations stored, want 2970", n)
		}
		// Importing the same file again changes nothing and duplicates nothing.
		if _, err := nta.Import(ctx, db, bytes.NewReader(data), nta.Options{}); err != nil {
			t.Fatal(err)
		}
		if n2, _ := nta.Count(ctx, db); n2 != n {
			t.Fatalf("re-import: %d corporations, want %d", n2, n)
		}

		// A 差分 file: one corporation renamed, one closed by merger.
		first := strings.Split(strings.Split(string(data), "\r\n")[0], ",")
		number := first[1]
		diff := strings.Join([]string{
			"1", number, "11", "0", "2026-04-01", "2026-03-30", "株式会社日野新名称", "", "301", "東京都", "日野市", "旭が丘3丁目1番1号", "", "13", "212", "1910065", "", "", "", "", "", "", "2015-10-05", "0", "", "", "", "", "ヒノシンメイショウ", "0",
		}, ",") + "\r\n" + strings.Join([]string{
			"2", number, "71", "0", "2026-05-01", "2026-04-28", "株式会社日野新名称", "", "301", "東京都", "日野市", "旭が丘3丁目1番1号", "", "13", "212", "1910065", "", "", "2026-04-28", "11", ntagen.CorporateNumber(123456789012), "", "2015-10-05", "1", "", "", "", "", "ヒノシンメイショウ", "0",
		}, ",") + "\r\n"
		if _, err := nta.Import(ctx, db, strings.NewReader(diff), nta.Options{}); err != nil {
			t.Fatal(err)
		}
		c, err := nta.Get(ctx, db, number)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "株式会社日野新名称" || c.Status != "closed" || c.CloseCause != "11" || c.Process != "71" || c.Furigana != "ヒノシンメイショウ" {
			t.Errorf("after the diff: %+v", c)
		}
		if got := c.LocalGovCode(); got != "132128" {
			t.Errorf("LocalGovCode = %q", got)
		}
		if n3, _ := nta.Count(ctx, db); n3 != n {
			t.Errorf("diff changed the count to %d", n3)
		}

		// Lookups: by name without the legal form, in any width or kana; by number.
		for _, q := range []string{"（株）日野新名称", "日野新", "日野 新名称 株式会社"} {
			hits, err := nta.Search(ctx, db, q, "", 10)
			if err != nil || len(hits) != 1 || hits[0].CorporateNumber != number {
				t.Errorf("search %q: %v %v", q, hits, err)
			}
		}
		hits, err := nta.Search(ctx, db, "日野精工", "東京都", 5)
		if err != nil || len(hits) == 0 {
			t.Fatalf("search 日野精工: %v %v", hits, err)
		}
		for _, h := range hits {
			if !strings.Contains(h.Name, "日野精工") || h.PrefectureName != "東京都" {
				t.Errorf("hit %q in %s", h.Name, h.PrefectureName)
			}
		}
		hits, err = nta.Search(ctx, db, " "+number[:4]+"-"+number[4:]+" ", "", 5)
		if err != nil || len(hits) != 1 {
			t.Errorf("search by number with a hyphen: %v %v", hits, err)
		}
		if _, err := nta.Get(ctx, db, "1234567890123"); err == nil {
			t.Error("Get accepted a number with a wrong check digit")
		}
		for _, q := range []string{"", "%", "_", "'; DROP TABLE corporations; --", strings.Repeat("あ", 5000)} {
			if _, err := nta.Search(ctx, db, q, "", 5); err != nil {
				t.Errorf("Search(%q): %v", q[:min(len(q), 20)], err)
			}
		}
	})
}

func TestShiftJISAndZip(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	data := gen(t, 500, ntagen.Options{Seed: 2})
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := nta.Import(ctx, db, bytes.NewReader(sjis), nta.Options{})
	if err != nil || !rep.ShiftJIS || rep.Imported != 500 || rep.Bad != 0 {
		t.Fatalf("Shift_JIS import: %+v %v", rep, err)
	}
	first := strings.Split(strings.Split(string(data), "\r\n")[0], ",")
	c, err := nta.Get(ctx, db, first[1])
	if err != nil || c.Name != first[6] {
		t.Fatalf("Shift_JIS name %q, want %q (%v)", c.Name, first[6], err)
	}

	dir := t.TempDir()
	zpath := filepath.Join(dir, "13_tokyo_all_20261031.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("13_tokyo_all_20261031.csv")
	w.Write(append([]byte("\xef\xbb\xbf"), gen(t, 200, ntagen.Options{Seed: 3, StartNumber: 5_000_000})...))
	zw.Close()
	os.WriteFile(zpath, zb.Bytes(), 0o600)
	f, err := nta.OpenFile(zpath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err = nta.Import(ctx, db, f, nta.Options{})
	if err != nil || rep.Imported != 200 || rep.ShiftJIS {
		t.Fatalf("zip import: %+v %v", rep, err)
	}
	if n, _ := nta.Count(ctx, db); n != 700 {
		t.Errorf("%d corporations, want 700", n)
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add("1,7123456789012,01,0,2025-01-01,2025-01-01,株式会社テスト,,301,東京都,日野市,旭が丘,,13,212,1910065,,,,,,,2015-10-05,1,,,,,テスト,0")
	f.Add("x,y")
	f.Add(`1,"7123456789012",01,0,2025-01-01,,"a""b",,301,,,,,,,,,,2025-13-01,,,,,,,,,,,`)
	f.Fuzz(func(t *testing.T, line string) {
		rd := nta.NewReader(strings.NewReader(line))
		for i := 0; i < 10; i++ {
			rec, bad, err := rd.Next()
			if err != nil {
				return
			}
			if bad == nil && rec.CorporateNumber == "" {
				t.Fatalf("a record without a number was accepted: %q", line)
			}
			if bad != nil && (bad.JA == "" || bad.EN == "") {
				t.Fatalf("a bad row without a message: %q", line)
			}
		}
	})
}

// TestSearchPrefectureBeyondFirstRows: a name shared by more corporations
// of other prefectures than one read holds still finds those of the
// prefecture asked for (the national file has millions of rows).
func TestSearchPrefectureBeyondFirstRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var b bytes.Buffer
		row := func(i int, name, pref, city string) {
			f := []string{fmt.Sprint(i), ntagen.CorporateNumber(int64(500000 + i)), "01", "0", "2025-04-01", "2025-04-01", name, "", "301",
				pref, city, "1-1", "", "", "", "1910011", "", "", "", "", "", "", "2015-10-05", "1", "", "", "", "", "", "0"}
			if err := ntagen.WriteRow(&b, f); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 1200; i++ {
			row(i, fmt.Sprintf("株式会社浅川共同%04d", i), "神奈川県", "相模原市中央区")
		}
		for i := 0; i < 3; i++ {
			row(2000+i, fmt.Sprintf("株式会社浅川共同ＺＺ%d", i), "東京都", "日野市")
		}
		if _, err := nta.Import(ctx, db, &b, nta.Options{}); err != nil {
			t.Fatal(err)
		}
		hits, err := nta.Search(ctx, db, "浅川共同", "東京都", 5)
		if err != nil || len(hits) != 3 {
			t.Fatalf("東京都 among 1,203: %d hits, %v", len(hits), err)
		}
		for _, h := range hits {
			if h.PrefectureName != "東京都" {
				t.Errorf("%s is in %s", h.Name, h.PrefectureName)
			}
		}
		if hits, _ := nta.Search(ctx, db, "浅川共同", "", 5); len(hits) != 5 {
			t.Errorf("without a prefecture: %d hits, want 5", len(hits))
		}
	})
}
