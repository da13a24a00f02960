package org_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
)

// corp returns a valid 法人番号 for a 12-digit base.
func corp(t *testing.T, base12 string) string {
	t.Helper()
	d, err := jp.CorporateNumberCheckDigit(base12)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(d) + base12
}

const formulaName = "=HYPERLINK(\"http://evil.example\",\"x\")"

// seedTransfer fills 日野市 with organizations that use every part of the
// profile: details that CSV cells cannot hold, an unpublished sole
// proprietor without keys, a lab, an archived company, a name that looks
// like a formula. It returns them by external id (the keyless one as "").
func seedTransfer(t *testing.T, f *fixture) map[string]org.Organization {
	t.Helper()
	ctx := context.Background()
	full := company("株式会社日野精機", "ひのせいき")
	full.CorporateNumber = corp(t, "123456789012")
	full.NameEN = "Hino Seiki Co., Ltd."
	full.URL = "https://hino-seiki.example.jp/?a=1&b=2"
	full.Representative = "日野 太郎"
	full.Address.Building = "日野ビル 3F"
	full.Contacts = append(full.Contacts, org.Contact{Department: "技術部", Person: "佐藤", Phone: "+81-42-000-0000", Fax: "042-585-0000"})
	full.Specialties = []string{"短納期対応", "難削材"}
	full.Markets = []string{"医療機器", "半導体製造装置"}
	full.Lot = []string{"試作", "小ロット"}
	full.MaxWorkpieceSize = "φ300×500mm"
	full.Equipment = []org.Equipment{
		{Name: "5軸マシニングセンタ（DMG森精機, DMU50）", Count: 2, Spec: "X500/Y450/Z400"},
		{Name: "NC旋盤", Count: 3, Spec: "φ300"},
		{Name: "NC旋盤", Count: 1, Spec: "φ500"},
	}
	full.Products = []org.Product{{Name: "人工関節部品", Description: "チタン合金の精密切削。\n医療機器メーカー向け。", Photo: "img-123"}, {Name: "ボルト、ナット"}}
	full.CatchPhrase = "-0.001mmに挑む"
	full.PRText = "一行目\n二行目、カンマ, \"引用符\" も含む"
	full.Keywords = []string{"精密", "短納期"}
	full.Visibility = map[org.FieldGroup]org.Visibility{org.GroupScale: org.Staff, org.GroupContact: org.Partners}
	full.Logo = "img-logo"

	lab := org.Profile{Name: "東京都立日野大学 材料工学研究室", NameKana: "ヒノダイガクザイリョウコウガクケンキュウシツ",
		University: "東京都立日野大学", Faculty: "工学部", Department: "機械工学科", Lab: "材料工学研究室", Head: "山田 花子", HeadKana: "ヤマダ ハナコ",
		ResearchTopics: []string{"表面工学・めっき", "微細加工・MEMS"}, Collaboration: []string{"共同研究", "設備利用"}, Keywords: []string{"DLC", "薄膜"},
		SeedsText: "低摩擦コーティングの研究。", Equipment: []org.Equipment{{Name: "走査電子顕微鏡", Shareable: true}},
		Address: org.Address{Prefecture: "東京都", City: "日野市", Town: "程久保2-1-1"}}

	sole := org.Profile{Name: "山本製作所", NameKana: "ヤマモトセイサクショ", Address: org.Address{Prefecture: "東京都", City: "日野市", Town: "豊田1-2-3"},
		Processes: []string{"旋盤加工"}, Employees: 2}

	old := company("株式会社閉鎖工業", "へいさこうぎょう")
	old.CorporateNumber = corp(t, "210987654321")

	formula := company(formulaName, "ケイサンシキ")
	formula.PRText = "@SUM(A1:A9)"

	ins := []org.NewOrganization{
		{Kind: org.KindCompany, ExternalID: "C0001", Published: true, Profile: full},
		{Kind: org.KindLab, ExternalID: "L0001", Published: true, Profile: lab},
		{Kind: org.KindCompany, Published: false, Profile: sole},
		{Kind: org.KindCompany, ExternalID: "C0004", Published: true, Profile: old},
		{Kind: org.KindCompany, ExternalID: "C0005", Published: true, Profile: formula},
	}
	out := map[string]org.Organization{}
	for _, in := range ins {
		o, err := f.org.Create(ctx, f.hino, in)
		if err != nil {
			t.Fatalf("seed %s: %v", in.Profile.Name, err)
		}
		out[o.ExternalID] = o
	}
	o, err := f.org.Archive(ctx, f.hino, out["C0004"].ID, out["C0004"].Version, "廃業")
	if err != nil {
		t.Fatal(err)
	}
	out["C0004"] = o
	return out
}

var allStatuses = org.ListQuery{Status: "all"}

func export(t *testing.T, f *fixture, a auth.Actor, format org.Format, q org.ListQuery) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.org.Export(context.Background(), a, &buf, format, q); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	return buf.Bytes()
}

func importFile(t *testing.T, f *fixture, a auth.Actor, format org.Format, data []byte, opt org.ImportOptions) org.ImportReport {
	t.Helper()
	rep, err := f.org.Import(context.Background(), a, bytes.NewReader(data), format, opt)
	if err != nil {
		t.Fatalf("import %s: %v", format, err)
	}
	return rep
}

func counts(r org.ImportReport) string {
	return fmt.Sprintf("rows %d created %d updated %d unchanged %d failed %d", r.Rows, r.Created, r.Updated, r.Unchanged, r.Failed)
}

// registry returns every organization of the actor's municipality by name.
func registry(t *testing.T, f *fixture, a auth.Actor) map[string]org.Organization {
	t.Helper()
	res, err := f.org.List(context.Background(), a, org.ListQuery{Status: "all", PerPage: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]org.Organization{}
	for _, o := range res.Items {
		out[o.Profile.Name] = o
	}
	return out
}

func profileJSON(p org.Profile) string {
	b, _ := json.Marshal(p)
	return string(b)
}

func TestTransferJSONLRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		seeded := seedTransfer(t, f)
		data := export(t, f, f.hino, org.FormatJSONL, allStatuses)
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if len(lines) != len(seeded) {
			t.Fatalf("%d lines for %d organizations", len(lines), len(seeded))
		}
		var first map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "external_id", "kind", "status", "published", "version", "profile", "updated_at"} {
			if _, ok := first[k]; !ok {
				t.Errorf("JSON Lines record lacks %q: %s", k, lines[0])
			}
		}
		if !strings.Contains(string(data), "&b=2") || !strings.Contains(string(data), "+09:00") {
			t.Errorf("want unescaped URLs and Japan time: %s", lines[0])
		}

		// Into a fresh municipality: the same registry.
		rep := importFile(t, f, f.hachi, org.FormatJSONL, data, org.ImportOptions{})
		if rep.Created != len(seeded) || rep.Failed != 0 || rep.Rows != len(seeded) {
			t.Fatalf("import into 八王子: %s %+v", counts(rep), rep.Errors)
		}
		src, dst := registry(t, f, f.hino), registry(t, f, f.hachi)
		if len(dst) != len(src) {
			t.Fatalf("八王子 has %d organizations, 日野 %d", len(dst), len(src))
		}
		for name, a := range src {
			b, ok := dst[name]
			if !ok {
				t.Errorf("%s missing after the round trip", name)
				continue
			}
			if a.Kind != b.Kind || a.ExternalID != b.ExternalID || a.Published != b.Published || a.Status != b.Status {
				t.Errorf("%s: kind/external id/published/status %s %q %v %s → %s %q %v %s", name, a.Kind, a.ExternalID, a.Published, a.Status, b.Kind, b.ExternalID, b.Published, b.Status)
			}
			if pa, pb := profileJSON(a.Profile), profileJSON(b.Profile); pa != pb {
				t.Errorf("%s: profile differs\n 日野:   %s\n 八王子: %s", name, pa, pb)
			}
		}
		// Again: nothing changes, nothing is duplicated — also for the
		// organization without external id or 法人番号.
		rep = importFile(t, f, f.hachi, org.FormatJSONL, data, org.ImportOptions{})
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != len(seeded) || rep.Failed != 0 {
			t.Errorf("second import into 八王子: %s %+v", counts(rep), rep.Errors)
		}
		// And back into 日野 itself, matched by id.
		rep = importFile(t, f, f.hino, org.FormatJSONL, data, org.ImportOptions{})
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != len(seeded) {
			t.Errorf("import into 日野: %s %+v", counts(rep), rep.Errors)
		}
	})
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func cellOf(t *testing.T, recs [][]string, row int, header string) string {
	t.Helper()
	for i, h := range recs[0] {
		if h == header {
			return recs[row][i]
		}
	}
	t.Fatalf("no column %q in %v", header, recs[0])
	return ""
}

func rowOf(t *testing.T, recs [][]string, name string) int {
	t.Helper()
	for i := range recs {
		if cellOf(t, recs, i, "名称") == name || cellOf(t, recs, i, "名称") == "'"+name {
			return i
		}
	}
	t.Fatalf("no row for %s", name)
	return 0
}

func TestTransferCSVExportAndReimport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		seeded := seedTransfer(t, f)
		before := registry(t, f, f.hino)
		data := export(t, f, f.hino, org.FormatCSV, allStatuses)
		if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			t.Fatalf("no UTF-8 BOM: % x", data[:8])
		}
		if !bytes.Contains(data, []byte("\r\n")) || bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
			t.Error("line ends are not all CRLF")
		}
		recs := readCSV(t, data)
		if len(recs) != len(seeded)+1 {
			t.Fatalf("%d records for %d organizations", len(recs), len(seeded))
		}
		want := []string{"ID", "外部ID", "種別", "状態", "公開", "名称", "フリガナ", "英語名", "法人番号", "日本標準産業分類", "郵便番号", "都道府県", "市区町村"}
		if strings.Join(recs[0][:len(want)], ",") != strings.Join(want, ",") {
			t.Errorf("header starts %v", recs[0][:len(want)])
		}
		for _, h := range []string{"加工技術", "設備", "製品", "PR文", "強み（専門家の分析）", "メール", "研究分野", "公開範囲：規模", "内部メモ", "更新日時", "更新日（和暦）"} {
			cellOf(t, recs, 0, h)
		}
		r := rowOf(t, recs, "株式会社日野精機")
		for h, want := range map[string]string{
			"種別": "企業", "公開": "公開", "状態": "有効", "郵便番号": "191-0065", "加工技術": "めっき、アルマイト", "従業員数": "25", "資本金（円）": "10000000",
			"設備": "5軸マシニングセンタ（DMG森精機, DMU50）、NC旋盤、NC旋盤",
			"製品": "人工関節部品\nボルト、ナット", // a name holding 、: one per line
			"電話": "042-585-1111", "公開範囲：規模": "職員のみ", "公開範囲：連絡先": "ログイン利用者", "公開範囲：PR": "一般公開",
			"キャッチフレーズ": "'-0.001mmに挑む", "内部メモ": "後継者問題あり（内部メモ）",
		} {
			if got := cellOf(t, recs, r, h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		if !bytes.Contains(data, []byte("\"一行目\r\n二行目、カンマ, \"\"引用符\"\" も含む\"")) {
			t.Errorf("PR text not quoted with CRLF inside")
		}
		if got := cellOf(t, recs, r, "PR文"); got != "一行目\n二行目、カンマ, \"引用符\" も含む" {
			t.Errorf("PR text %q", got)
		}
		up := before["株式会社日野精機"].UpdatedAt.In(jp.JST)
		if got := cellOf(t, recs, r, "更新日時"); got != up.Format("2006/01/02 15:04:05") {
			t.Errorf("updated at %q", got)
		}
		if got := cellOf(t, recs, r, "更新日（和暦）"); !strings.HasPrefix(got, "令和") {
			t.Errorf("和暦 %q", got)
		}
		// Formula injection: the cells come out with a leading apostrophe.
		fr := rowOf(t, recs, formulaName)
		if got := cellOf(t, recs, fr, "名称"); got != "'"+formulaName {
			t.Errorf("formula name cell %q", got)
		}
		if got := cellOf(t, recs, fr, "PR文"); got != "'@SUM(A1:A9)" {
			t.Errorf("formula PR cell %q", got)
		}
		for _, rec := range recs[1:] {
			for _, c := range rec {
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("cell %q could be taken for a formula", c)
				}
			}
		}

		// Re-importing the export changes nothing; the details the cells
		// cannot hold (equipment specs, product photos, the second contact,
		// the logo) survive.
		rep := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{})
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != len(seeded) || rep.Failed != 0 {
			t.Fatalf("re-import: %s %+v", counts(rep), rep.Errors)
		}
		after := registry(t, f, f.hino)
		for name, o := range before {
			if a := after[name]; profileJSON(a.Profile) != profileJSON(o.Profile) || a.Version != o.Version {
				t.Errorf("%s changed by a no-op import:\n%s\n%s", name, profileJSON(o.Profile), profileJSON(a.Profile))
			}
		}

		// Edited in Excel: a changed cell updates that organization only,
		// keeping the details of the equipment still named.
		recs[r][indexOf(t, recs[0], "従業員数")] = "30"
		recs[r][indexOf(t, recs[0], "設備")] = "NC旋盤、NC旋盤、三次元測定機"
		recs[r][indexOf(t, recs[0], "公開")] = "非公開"
		rep = importFile(t, f, f.hino, org.FormatCSV, writeCSV(recs), org.ImportOptions{})
		if rep.Updated != 1 || rep.Unchanged != len(seeded)-1 || rep.Failed != 0 {
			t.Fatalf("edited import: %s %+v", counts(rep), rep.Errors)
		}
		got, _ := f.org.Get(ctx, f.hino, seeded["C0001"].ID)
		eq := got.Profile.Equipment
		if got.Profile.Employees != 30 || got.Published || len(eq) != 3 || eq[0].Spec != "φ300" || eq[1].Spec != "φ500" || eq[2].Name != "三次元測定機" || eq[2].Count != 0 {
			t.Errorf("after the edit: employees %d published %v equipment %+v", got.Profile.Employees, got.Published, eq)
		}
		if got.Profile.Products[0].Photo != "img-123" || len(got.Profile.Contacts) != 2 || got.Profile.Logo != "img-logo" {
			t.Errorf("details lost: %+v", got.Profile)
		}

		// A member exports only what they may see: published, active
		// organizations, without the staff-only columns.
		member := f.user(t, "132128", "member@hino-seiki.example", auth.RoleMember, seeded["L0001"].ID)
		mrecs := readCSV(t, export(t, f, member, org.FormatCSV, org.ListQuery{}))
		for _, h := range mrecs[0] {
			if h == "内部メモ" || strings.HasPrefix(h, "公開範囲") {
				t.Errorf("member export has the staff-only column %s", h)
			}
		}
		if len(mrecs) != 1+2 { // the lab and the formula company; 日野精機 is unpublished now
			t.Errorf("member export has %d rows", len(mrecs)-1)
		}
		if strings.Contains(string(export(t, f, member, org.FormatCSV, org.ListQuery{})), "後継者問題") {
			t.Error("member export leaks internal notes")
		}
	})
}

func indexOf(t *testing.T, header []string, h string) int {
	t.Helper()
	for i, x := range header {
		if x == h {
			return i
		}
	}
	t.Fatalf("no column %s", h)
	return -1
}

func writeCSV(recs [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.WriteAll(recs)
	return buf.Bytes()
}

func TestTransferCSVBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		good := corp(t, "100000000001")
		lines := []string{
			"外部ID,名称,フリガナ,法人番号,加工技術,PR文,従業員数,公開",   // 1
			"X01,株式会社一号,イチゴウ,,切削加工,,10,1",          // 2
			"X02,株式会社二号,ニゴウ,,\"切削加工, 研削加工\",\"一行目", // 3: a quoted cell over three lines
			"二行目",         // 4
			"三行目\",20,はい", // 5
			"X03,株式会社三号,サンゴウ,1234567890123,切削加工,,5,1", // 6: bad check digit
			"X04,株式会社四号,ヨンゴウ,,切削加工、旋盤加工,,,0",          // 7
			"X05,,ゴゴウ,,,,,1",                      // 8: no name
			"X06,株式会社六号,ロクゴウ,,魔法加工,,,1",           // 9: not in the vocabulary
			"X07,株式会社七号,ナナゴウ,,ﾏｼﾆﾝｸﾞ加工,,7,1",      // 10
			"X08,有限会社八号,ハチゴウ,,,,,",                // 11
			"X09,株式会社九号,キュウゴウ," + good + ",,,9,1", // 12
			"X10,株式会社十号,ジュウゴウ,,放電加工,,\"1,000\",1", // 13
		}
		data := []byte("\ufeff" + strings.Join(lines, "\r\n") + "\r\n")

		// A dry run says what would happen and writes nothing.
		dry := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{DryRun: true})
		if dry.Created != 7 || dry.Failed != 3 || !dry.DryRun {
			t.Errorf("dry run: %s", counts(dry))
		}
		if n := len(registry(t, f, f.hino)); n != 0 {
			t.Fatalf("a dry run wrote %d organizations", n)
		}

		var progress []int
		rep := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{Progress: func(n int) { progress = append(progress, n) }})
		if rep.Rows != 10 || rep.Created != 7 || rep.Failed != 3 || rep.Updated != 0 {
			t.Fatalf("import: %s %+v", counts(rep), rep.Errors)
		}
		if len(progress) != 10 || progress[9] != 10 {
			t.Errorf("progress %v", progress)
		}
		type want struct {
			line          int
			field, column string
			ja            string
		}
		wants := []want{{6, "corporate_number", "法人番号", "チェックデジット"}, {8, "name", "名称", "名称を入力"}, {9, "processes", "加工技術", "魔法加工"}}
		if len(rep.Errors) != len(wants) {
			t.Fatalf("errors: %+v", rep.Errors)
		}
		for i, w := range wants {
			e := rep.Errors[i]
			if e.Line != w.line || e.Field != w.field || e.Column != w.column || !strings.Contains(e.JA, w.ja) || e.EN == "" || e.EN == e.JA {
				t.Errorf("error %d: %+v, want line %d field %s column %s (%s)", i, e, w.line, w.field, w.column, w.ja)
			}
		}
		if reflectEqual(dry.Errors, rep.Errors) == false {
			t.Errorf("the dry run's errors differ:\n%+v\n%+v", dry.Errors, rep.Errors)
		}
		reg := registry(t, f, f.hino)
		if p := reg["株式会社二号"].Profile; p.PRText != "一行目\n二行目\n三行目" || strings.Join(p.Processes, "|") != "切削加工|研削加工" || !reg["株式会社二号"].Published {
			t.Errorf("multi-line row: %+v", reg["株式会社二号"])
		}
		if p := reg["株式会社七号"].Profile; len(p.Processes) != 1 || p.Processes[0] != "マシニング加工" {
			t.Errorf("half-width term not normalized: %v", p.Processes)
		}
		if reg["株式会社十号"].Profile.Employees != 1000 || reg["株式会社四号"].Published || reg["有限会社八号"].Published {
			t.Errorf("numbers or publication: %+v", reg)
		}

		// Re-running the same file duplicates nothing.
		rep = importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{})
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 7 || rep.Failed != 3 {
			t.Errorf("re-run: %s %+v", counts(rep), rep.Errors)
		}
		// Fixing the bad rows imports them.
		fixed := strings.NewReplacer("1234567890123", corp(t, "300000000003"), "X05,,", "X05,株式会社五号,", "魔法加工", "放電加工").Replace(string(data))
		rep = importFile(t, f, f.hino, org.FormatCSV, []byte(fixed), org.ImportOptions{})
		if rep.Created != 3 || rep.Unchanged != 7 || rep.Failed != 0 {
			t.Errorf("fixed file: %s %+v", counts(rep), rep.Errors)
		}
		if res, _ := f.org.List(ctx, f.hino, org.ListQuery{}); res.Total != 10 {
			t.Errorf("%d organizations, want 10", res.Total)
		}
	})
}

func reflectEqual(a, b []org.ImportRowError) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestTransferCSVMalformedAndMatching(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		seeded := seedTransfer(t, f)
		c1 := seeded["C0001"]
		lines := []string{
			"ID,外部ID,名称,フリガナ,法人番号,従業員数,メモ欄",                    // 1: メモ欄 is unknown
			"9999999,Z01,株式会社新規,シンキ,,3,x",                      // 2: an id of another system: created
			"Z02,株式会社短い行",                                      // 3: too few columns
			"Z03,株式会社不正\"引用符,,,,,",                             // 4: bare quote
			",Z04,株式会社重複,チョウフク,,1,",                            // 5
			",Z04,株式会社重複,チョウフク,,2,",                            // 6: the same external id again
			strconv.FormatInt(c1.ID, 10) + ",Z99,株式会社日野精機,,,,", // 7: the id's organization has another external id
			",,山本製作所,,,5,",                                     // 8: matched by name (no keys): updated
			",,株式会社日野精機,,,1.5,",                                // 9: matched by name, but not a whole number
			",,株式会社数字,スウジ,7.12346E+12,1,",                      // 10: Excel's scientific notation
			",,株式会社重複,チョウフク,,3,",                               // 11: line 5's organization again, by its name
		}
		data := []byte(strings.Join(lines, "\r\n") + "\r\n") // without a BOM
		rep := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{})
		byLine := map[int][]org.ImportRowError{}
		for _, e := range rep.Errors {
			byLine[e.Line] = append(byLine[e.Line], e)
		}
		if rep.Created != 2 || rep.Updated != 1 || rep.Failed != 7 {
			t.Errorf("%s %+v", counts(rep), rep.Errors)
		}
		for line, field := range map[int]string{3: "", 4: "", 6: "external_id", 7: "id", 9: "employees", 10: "corporate_number", 11: "id"} {
			es := byLine[line]
			if len(es) == 0 || es[0].Field != field || es[0].JA == "" || es[0].EN == "" {
				t.Errorf("line %d: %+v, want an error on %q", line, es, field)
			}
		}
		if !strings.Contains(byLine[6][0].JA, "5行目") || !strings.Contains(byLine[10][0].JA, "Excel") {
			t.Errorf("messages: %q %q", byLine[6][0].JA, byLine[10][0].JA)
		}
		if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].JA, "メモ欄") {
			t.Errorf("warnings %+v", rep.Warnings)
		}
		reg := registry(t, f, f.hino)
		if reg["山本製作所"].Profile.Employees != 5 || reg["株式会社新規"].ID == 9999999 {
			t.Errorf("name match or foreign id: %+v %+v", reg["山本製作所"], reg["株式会社新規"])
		}

		// Someone edits an organization after the export: importing the
		// stale file refuses the changed row rather than overwrite theirs.
		recs := readCSV(t, export(t, f, f.hino, org.FormatCSV, org.ListQuery{}))
		cur, _ := f.org.Get(ctx, f.hino, c1.ID)
		p := cur.Profile
		p.CatchPhrase = "他の人の変更"
		if _, err := f.org.Update(ctx, f.hino, c1.ID, cur.Version, p); err != nil {
			t.Fatal(err)
		}
		r := rowOf(t, recs, "株式会社日野精機")
		recs[r][indexOf(t, recs[0], "従業員数")] = "99"
		rep = importFile(t, f, f.hino, org.FormatCSV, writeCSV(recs), org.ImportOptions{})
		if rep.Failed != 1 || rep.Errors[0].Field != "version" || rep.Updated != 0 {
			t.Errorf("stale file: %s %+v", counts(rep), rep.Errors)
		}
		if got, _ := f.org.Get(ctx, f.hino, c1.ID); got.Profile.CatchPhrase != "他の人の変更" || got.Profile.Employees == 99 {
			t.Errorf("the stale file overwrote: %+v", got.Profile)
		}

		// Shift_JIS, as Excel saves a plain CSV in Japan.
		sjis, err := japanese.ShiftJIS.NewEncoder().String("名称,フリガナ,加工技術\r\n株式会社シフト,シフト,研削加工\r\n")
		if err != nil {
			t.Fatal(err)
		}
		rep = importFile(t, f, f.hino, org.FormatCSV, []byte(sjis), org.ImportOptions{})
		if rep.Created != 1 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].JA, "Shift_JIS") {
			t.Errorf("Shift_JIS: %s %+v %+v", counts(rep), rep.Errors, rep.Warnings)
		}
		if p := registry(t, f, f.hino)["株式会社シフト"].Profile; p.NameKana != "シフト" || p.Processes[0] != "研削加工" {
			t.Errorf("Shift_JIS row: %+v", p)
		}
	})
}

func TestTransferXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		seeded := seedTransfer(t, f)
		data := export(t, f, f.hino, org.FormatXLSX, allStatuses)
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet := x.GetSheetList()[0]
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(seeded)+1 || rows[0][0] != "ID" || rows[0][5] != "名称" || rows[0][8] != "法人番号" {
			t.Fatalf("%d rows, header %v", len(rows), rows[0])
		}
		panes, err := x.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("header not frozen: %+v %v", panes, err)
		}
		st, _ := x.GetCellStyle(sheet, "A1")
		if style, _ := x.GetStyle(st); style == nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("header not bold: %+v", style)
		}
		col := func(h string) string {
			for i, x := range rows[0] {
				if x == h {
					name, _ := excelize.ColumnNumberToName(i + 1)
					return name
				}
			}
			t.Fatalf("no column %s", h)
			return ""
		}
		var hinoRow, formulaRow int
		for i, r := range rows {
			switch r[5] {
			case "株式会社日野精機":
				hinoRow = i + 1
			case formulaName:
				formulaRow = i + 1
			}
		}
		if hinoRow == 0 || formulaRow == 0 {
			t.Fatalf("rows not found: %v", rows)
		}
		cell := func(h string, row int) string { return col(h) + strconv.Itoa(row) }
		// Numbers are numbers, codes are text.
		for _, h := range []string{"従業員数", "資本金（円）", "ID", "設立年"} {
			if ty, _ := x.GetCellType(sheet, cell(h, hinoRow)); ty != excelize.CellTypeUnset && ty != excelize.CellTypeNumber {
				t.Errorf("%s is not a number cell: %v", h, ty)
			}
		}
		if v, _ := x.GetCellValue(sheet, cell("従業員数", hinoRow), excelize.Options{RawCellValue: true}); v != "25" {
			t.Errorf("employees %q", v)
		}
		if v, _ := x.GetCellValue(sheet, cell("法人番号", hinoRow)); v != seeded["C0001"].Profile.CorporateNumber {
			t.Errorf("corporate number %q", v)
		}
		if ty, _ := x.GetCellType(sheet, cell("法人番号", hinoRow)); ty != excelize.CellTypeInlineString {
			t.Errorf("corporate number cell type %v", ty)
		}
		if ty, _ := x.GetCellType(sheet, cell("更新日時", hinoRow)); ty != excelize.CellTypeUnset && ty != excelize.CellTypeNumber {
			t.Errorf("update time is not a date number: %v", ty)
		}
		if v, _ := x.GetCellValue(sheet, cell("更新日時", hinoRow)); !strings.HasPrefix(v, seeded["C0001"].UpdatedAt.In(jp.JST).Format("2006/01/02")) {
			t.Errorf("update time shown as %q", v)
		}
		// The formula-looking name is a plain string.
		if fm, _ := x.GetCellFormula(sheet, cell("名称", formulaRow)); fm != "" {
			t.Errorf("a name was written as the formula %q", fm)
		}
		if v, _ := x.GetCellValue(sheet, cell("名称", formulaRow)); v != formulaName {
			t.Errorf("formula name %q", v)
		}
		if w, _ := x.GetColWidth(sheet, col("名称")); w < 20 {
			t.Errorf("name column width %v", w)
		}

		// The sheet's XML as Excel wants it: <col> ranges in ascending order
		// (Excel repairs a file with them out of order), a filter on the
		// header, and no formulas anywhere.
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var sheetXML []byte
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet1.xml" {
				rc, _ := zf.Open()
				sheetXML, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		prev := 0
		for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllSubmatch(sheetXML, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n <= prev {
				t.Errorf("<col> %d after %d", n, prev)
			}
			prev = n
		}
		if prev != len(rows[0]) || !bytes.Contains(sheetXML, []byte("<autoFilter ref=")) || bytes.Contains(sheetXML, []byte("<f>")) {
			t.Errorf("sheet XML: %d columns, autoFilter %v, formulas %v", prev, bytes.Contains(sheetXML, []byte("<autoFilter")), bytes.Contains(sheetXML, []byte("<f>")))
		}

		// Re-importing the workbook changes nothing.
		rep := importFile(t, f, f.hino, org.FormatXLSX, data, org.ImportOptions{})
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != len(seeded) || rep.Failed != 0 {
			t.Errorf("re-import: %s %+v", counts(rep), rep.Errors)
		}

		// A workbook made by hand, with English headers, numbers typed as
		// numbers and a gap row.
		h := excelize.NewFile()
		defer h.Close()
		s := h.GetSheetName(0)
		h.SetSheetRow(s, "A1", &[]any{"name", "Name Kana", "corporate_number", "employees", "processes", "published", "kind", "住所"})
		h.SetSheetRow(s, "A2", &[]any{"株式会社エクセル", "えくせる", int64(7123456789012), 42, "切削加工,研削加工", "はい", "company", "東京都日野市日野本町1-2-3"})
		h.SetSheetRow(s, "A4", &[]any{"日野ラボ", "ヒノラボ", nil, nil, "魔法加工", "いいえ", "lab"})
		var buf bytes.Buffer
		if _, err := h.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		rep = importFile(t, f, f.hachi, org.FormatXLSX, buf.Bytes(), org.ImportOptions{})
		if rep.Created != 1 || rep.Failed != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 4 || rep.Errors[0].Field != "processes" || rep.Errors[0].Column != "processes" {
			t.Fatalf("hand-made workbook: %s %+v", counts(rep), rep.Errors)
		}
		o := registry(t, f, f.hachi)["株式会社エクセル"]
		if o.Profile.CorporateNumber != "7123456789012" || o.Profile.Employees != 42 || o.Profile.NameKana != "エクセル" || !o.Published ||
			strings.Join(o.Profile.Processes, "|") != "切削加工|研削加工" || o.Profile.Address.City != "日野市" || o.Profile.Address.Town != "日野本町1-2-3" {
			t.Errorf("imported %+v", o)
		}
	})
}

func TestTransferPermissionsAndLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		o, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社権限", "ケンゲン")})
		if err != nil {
			t.Fatal(err)
		}
		data := []byte("名称\r\n株式会社侵入\r\n")
		for _, a := range []auth.Actor{
			f.user(t, "132128", "member@kengen.example", auth.RoleMember, o.ID),
			f.user(t, "132128", "coord@hino.example", auth.RoleCoordinator, 0),
			auth.Anonymous("132128"),
		} {
			if _, err := f.org.Import(ctx, a, bytes.NewReader(data), org.FormatCSV, org.ImportOptions{}); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s importing: %v", a.Label(), err)
			}
		}
		if _, err := f.org.Export(ctx, f.hino, io.Discard, "pdf", org.ListQuery{}); errs.CodeOf(err) != errs.BadRequest {
			t.Errorf("unknown format: %v", err)
		}

		// Too many rows: refused whole, before anything is written.
		var big strings.Builder
		big.WriteString("名称\r\n")
		for i := 0; i <= org.MaxImportRows; i++ {
			big.WriteString("株式会社" + strconv.Itoa(i) + "\r\n")
		}
		if _, err := f.org.Import(ctx, f.hino, strings.NewReader(big.String()), org.FormatCSV, org.ImportOptions{}); errs.CodeOf(err) != errs.TooLarge {
			t.Errorf("too many rows: %v", err)
		}
		long := "名称,PR文\r\n株式会社長文," + strings.Repeat("あ", org.MaxImportCellChars+1) + "\r\n"
		_, err = f.org.Import(ctx, f.hino, strings.NewReader(long), org.FormatCSV, org.ImportOptions{})
		if errs.CodeOf(err) != errs.TooLarge || !strings.Contains(errs.As(err).JA, "2行目") {
			t.Errorf("too long a cell: %v", err)
		}
		if n := len(registry(t, f, f.hino)); n != 1 {
			t.Errorf("refused files wrote: %d organizations", n)
		}
		// A file whose first line is not a header.
		_, err = f.org.Import(ctx, f.hino, strings.NewReader("株式会社A,1\r\n株式会社B,2\r\n"), org.FormatCSV, org.ImportOptions{})
		if errs.CodeOf(err) != errs.BadRequest {
			t.Errorf("no header: %v", err)
		}
		// Bad JSON lines are row errors; the good ones are kept.
		jl := "{\"kind\":\"company\",\"profile\":{\"name\":\"株式会社JSON\"}}\n{not json}\n\n{\"kind\":\"factory\",\"profile\":{\"name\":\"株式会社工場\"}}\n"
		rep, err := f.org.Import(ctx, f.hino, strings.NewReader(jl), org.FormatJSONL, org.ImportOptions{})
		if err != nil || rep.Created != 1 || rep.Failed != 2 || rep.Errors[0].Line != 2 || rep.Errors[1].Line != 4 || rep.Errors[1].Field != "kind" {
			t.Errorf("JSON Lines: %s %+v %v", counts(rep), rep.Errors, err)
		}
	})
}

// An import stopped part-way (here by its context; a kill -9 is the same to
// the database: rows are committed one by one) keeps the rows done, and
// re-running it completes it without duplicates.
func TestTransferInterruptedImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		var b strings.Builder
		b.WriteString("名称,フリガナ,加工技術\r\n")
		for i := 1; i <= 20; i++ {
			fmt.Fprintf(&b, "株式会社試験%02d,シケン,切削加工\r\n", i)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rep, err := f.org.Import(ctx, f.hino, strings.NewReader(b.String()), org.FormatCSV, org.ImportOptions{Progress: func(n int) {
			if n == 7 {
				cancel()
			}
		}})
		if err != context.Canceled || rep.Created != 7 {
			t.Fatalf("interrupted: %s %v", counts(rep), err)
		}
		if n := len(registry(t, f, f.hino)); n != 7 {
			t.Fatalf("%d organizations after the interruption", n)
		}
		rep = importFile(t, f, f.hino, org.FormatCSV, []byte(b.String()), org.ImportOptions{})
		if rep.Created != 13 || rep.Unchanged != 7 || rep.Failed != 0 {
			t.Errorf("re-run: %s %+v", counts(rep), rep.Errors)
		}
		if n := len(registry(t, f, f.hino)); n != 20 {
			t.Errorf("%d organizations after the re-run", n)
		}
	})
}

func TestFormatFromName(t *testing.T) {
	for name, want := range map[string]org.Format{"a.jsonl": org.FormatJSONL, "b.NDJSON": org.FormatJSONL, "c.json": org.FormatJSONL,
		"組織一覧.CSV": org.FormatCSV, `C:\Users\x\登録.xlsx`: org.FormatXLSX} {
		if got, err := org.FormatFromName(name); got != want || err != nil {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
	for _, name := range []string{"a.xls", "b.pdf", "noext"} {
		if _, err := org.FormatFromName(name); errs.CodeOf(err) != errs.BadRequest {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A dry run reports what the real run then does, also for the organization
// an earlier line of the same file would create.
func TestTransferDryRunAgrees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		o, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, ExternalID: "K1", Published: true, Profile: company("株式会社既存", "キゾン")})
		if err != nil {
			t.Fatal(err)
		}
		data := []byte(strings.Join([]string{
			"外部ID,名称,状態,公開",
			"E1,株式会社同名,,1",     // 2: created
			",株式会社同名,,1",       // 3: line 2's organization again, found by name
			"K1,株式会社既存,アーカイブ,", // 4: archived
			"E2,株式会社別名,有効,非公開", // 5: created, unpublished
			"E3,株式会社状態,保留,1",   // 6: unknown status
		}, "\r\n") + "\r\n")
		dry := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{DryRun: true})
		if n := len(registry(t, f, f.hino)); n != 1 {
			t.Fatalf("the dry run wrote: %d organizations", n)
		}
		rep := importFile(t, f, f.hino, org.FormatCSV, data, org.ImportOptions{})
		if counts(dry) != counts(rep) || !reflectEqual(dry.Errors, rep.Errors) {
			t.Errorf("dry run and import differ:\n%s %+v\n%s %+v", counts(dry), dry.Errors, counts(rep), rep.Errors)
		}
		if rep.Created != 2 || rep.Updated != 1 || rep.Failed != 2 || rep.Errors[0].Line != 3 || rep.Errors[1].Line != 6 || rep.Errors[1].Field != "status" {
			t.Errorf("%s %+v", counts(rep), rep.Errors)
		}
		if got, _ := f.org.Get(ctx, f.hino, o.ID); got.Status != org.StatusArchived || !got.Published {
			t.Errorf("archived by the file: %s published %v", got.Status, got.Published)
		}
		h, _ := f.org.History(ctx, f.hino, o.ID)
		if len(h) != 2 || h[0].Action != "organization.archive" {
			t.Errorf("history %+v", h)
		}
		if o := registry(t, f, f.hino)["株式会社別名"]; o.Published || o.Status != org.StatusActive {
			t.Errorf("株式会社別名: %+v", o)
		}
	})
}
