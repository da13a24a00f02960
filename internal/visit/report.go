package visit

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/org"
)

// KindCounts counts the records of a year under one heading.
type KindCounts struct {
	Visits         int `json:"visits"`
	CompanyIssues  int `json:"company_issues"`
	IssuesResolved int `json:"company_issues_resolved"`
	Consultations  int `json:"consultations"`
	Referrals      int `json:"referrals"`
}

// TagCount is the counts under one pillar, capability, measure, category or outcome.
type TagCount struct {
	Code    string `json:"code"`
	LabelJA string `json:"label_ja"`
	LabelEN string `json:"label_en"`
	KindCounts
}

// Label names the heading.
func (t TagCount) Label(lang string) string {
	if lang == "en" {
		return t.LabelEN
	}
	return t.LabelJA
}

// Counts are a fiscal year's numbers for the council and the KPI work:
// visits done, CompanyIssues found (and resolved), consultations received
// and referrals made, in all and by pillar, capability and measure (a
// record tagged with two pillars counts under both); consultations by
// category and referrals by outcome.
type Counts struct {
	Municipality     string     `json:"municipality_code"`
	FiscalYear       int        `json:"fiscal_year"`
	Totals           KindCounts `json:"totals"`
	VisitedCompanies int        `json:"visited_companies"`
	ByPillar         []TagCount `json:"by_pillar"`
	ByCapability     []TagCount `json:"by_capability"`
	ByMeasure        []TagCount `json:"by_measure"`
	ByCategory       []TagCount `json:"by_category"`
	ByOutcome        []TagCount `json:"by_outcome"`
}

// FiscalYearLabel names the counts' year.
func (c Counts) FiscalYearLabel(lang string) string { return FiscalYearLabel(c.FiscalYear, lang) }

func checkFiscalYear(fy int) error {
	if fy < 2000 || fy > 2100 {
		return errs.Fields{{Field: "fiscal_year", JA: "年度は2000から2100の間で指定してください", EN: "The fiscal year must be between 2000 and 2100"}}.Err()
	}
	return nil
}

// Counts returns a fiscal year's counts (staff only).
func (s *Service) Counts(ctx context.Context, a auth.Actor, fiscalYear int) (Counts, error) {
	c := Counts{Municipality: a.Municipality, FiscalYear: fiscalYear}
	if !a.Can(auth.PermVisitReport) && !seesAll(a) {
		return c, errNoRead
	}
	if err := checkFiscalYear(fiscalYear); err != nil {
		return c, err
	}
	from, to := jp.FiscalYearRange(fiscalYear)
	dfrom, dto := fiscalDateRange(fiscalYear)
	for _, p := range Pillars {
		l := pillarLabels[p]
		c.ByPillar = append(c.ByPillar, TagCount{Code: fmt.Sprint(int(p)), LabelJA: p.Label("ja"), LabelEN: "P" + fmt.Sprint(int(p)) + " " + l[1]})
	}
	for _, x := range Capabilities {
		c.ByCapability = append(c.ByCapability, TagCount{Code: string(x), LabelJA: x.Label("ja"), LabelEN: x.Label("en")})
	}
	// Each count query returns the total and one sum per pillar and
	// capability bit (10 columns); extra columns follow.
	scanTags := func(query string, args []any, set func(tc *KindCounts, n int), extra ...any) error {
		var total int
		tags := make([]int, 10)
		dest := []any{&total}
		for i := range tags {
			dest = append(dest, &tags[i])
		}
		dest = append(dest, extra...)
		if err := s.db.R.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
			return err
		}
		set(&c.Totals, total)
		for i := range 5 {
			set(&c.ByPillar[i].KindCounts, tags[i])
			set(&c.ByCapability[i].KindCounts, tags[5+i])
		}
		return nil
	}
	var resolved int
	err := scanTags(s.q.CountVisits, []any{a.Municipality, from.UTC(), to.UTC()}, func(k *KindCounts, n int) { k.Visits = n })
	if err == nil {
		err = scanTags(s.q.CountIssues, []any{a.Municipality, from.UTC(), to.UTC()}, func(k *KindCounts, n int) { k.CompanyIssues = n }, &resolved)
	}
	if err == nil {
		err = scanTags(s.q.CountConsultations, []any{a.Municipality, from.UTC(), to.UTC()}, func(k *KindCounts, n int) { k.Consultations = n })
	}
	if err == nil {
		err = scanTags(s.q.CountReferrals, []any{a.Municipality, string(dfrom), string(dto)}, func(k *KindCounts, n int) { k.Referrals = n })
	}
	if err == nil {
		err = s.db.R.QueryRowContext(ctx, s.q.VisitedCompanies, a.Municipality, from.UTC(), to.UTC()).Scan(&c.VisitedCompanies)
	}
	if err != nil {
		return c, errs.Wrap(err, "counts")
	}
	c.Totals.IssuesResolved = resolved

	// Measures: issues list theirs as JSON, referrals name one.
	byMeasure := map[string]*KindCounts{}
	for _, m := range Measures {
		byMeasure[m.Code] = &KindCounts{}
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.IssueMeasures, a.Municipality, from.UTC(), to.UTC())
	if err != nil {
		return c, errs.Wrap(err, "counts: measures")
	}
	for rows.Next() {
		var raw, status string
		if err := rows.Scan(&raw, &status); err != nil {
			rows.Close()
			return c, err
		}
		var codes []string
		json.Unmarshal([]byte(raw), &codes)
		for _, code := range codes {
			if k, ok := byMeasure[code]; ok {
				k.CompanyIssues++
				if IssueStatus(status) == IssueResolved {
					k.IssuesResolved++
				}
			}
		}
	}
	rows.Close()
	if err := s.groupCounts(ctx, s.q.ReferralMeasures, []any{a.Municipality, string(dfrom), string(dto)}, func(code string, n int) {
		if k, ok := byMeasure[code]; ok {
			k.Referrals += n
		}
	}); err != nil {
		return c, err
	}
	for _, m := range Measures {
		c.ByMeasure = append(c.ByMeasure, TagCount{Code: m.Code, LabelJA: m.Name, LabelEN: m.NameEN, KindCounts: *byMeasure[m.Code]})
	}
	byCat := map[string]int{}
	if err := s.groupCounts(ctx, s.q.ConsultCategories, []any{a.Municipality, from.UTC(), to.UTC()}, func(code string, n int) { byCat[code] = n }); err != nil {
		return c, err
	}
	for _, x := range Categories {
		c.ByCategory = append(c.ByCategory, TagCount{Code: string(x), LabelJA: x.Label("ja"), LabelEN: x.Label("en"), KindCounts: KindCounts{Consultations: byCat[string(x)]}})
	}
	byOut := map[string]int{}
	if err := s.groupCounts(ctx, s.q.ReferralOutcomes, []any{a.Municipality, string(dfrom), string(dto)}, func(code string, n int) { byOut[code] = n }); err != nil {
		return c, err
	}
	for _, x := range Outcomes {
		c.ByOutcome = append(c.ByOutcome, TagCount{Code: string(x), LabelJA: x.Label("ja"), LabelEN: x.Label("en"), KindCounts: KindCounts{Referrals: byOut[string(x)]}})
	}
	return c, nil
}

func (s *Service) groupCounts(ctx context.Context, query string, args []any, fn func(code string, n int)) error {
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return errs.Wrap(err, "counts")
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		fn(code, n)
	}
	return rows.Err()
}

// Export kinds: the whole workbook (XLSX) has a sheet of each; CSV is one
// kind per file.
const (
	ExportSummary       = "summary"
	ExportVisits        = "visits"
	ExportIssues        = "company_issues"
	ExportConsultations = "consultations"
	ExportReferrals     = "referrals"
)

// ExportKinds lists what can be exported, in the workbook's order.
var ExportKinds = []string{ExportSummary, ExportVisits, ExportIssues, ExportConsultations, ExportReferrals}

var exportSheets = map[string]string{ExportSummary: "集計", ExportVisits: "訪問", ExportIssues: "課題", ExportConsultations: "相談", ExportReferrals: "紹介"}

// ExportName is the file name of an export.
func ExportName(fy int, format, kind string) string {
	if format == "xlsx" {
		return fmt.Sprintf("visits-FY%d.xlsx", fy)
	}
	return fmt.Sprintf("%s-FY%d.csv", strings.ReplaceAll(kind, "_", "-"), fy)
}

// cell kinds of the export.
type xcell struct {
	v    any
	kind int // 0 text, 1 integer, 2 date
}

func txt(s string) xcell     { return xcell{v: s} }
func num(n int) xcell        { return xcell{v: n, kind: 1} }
func day(t *time.Time) xcell { return xcell{v: t, kind: 2} }
func flag(b bool) xcell      { return num(map[bool]int{true: 1, false: 0}[b]) }
func wareki(t time.Time) xcell {
	if t.IsZero() {
		return txt("")
	}
	return txt(jp.FormatWareki(t))
}

type table struct {
	name   string
	header []string
	rows   [][]xcell
}

// tagHeader and tagCells are the capability and pillar columns: one 0/1
// column each, so a pivot table can count them.
func tagHeader() []string {
	var h []string
	for _, c := range Capabilities {
		h = append(h, c.Label("ja"))
	}
	for _, p := range Pillars {
		h = append(h, p.Short("ja"))
	}
	return h
}

func tagCells(caps, pillars int) []xcell {
	var out []xcell
	for i := range Capabilities {
		out = append(out, flag(caps&(1<<i) != 0))
	}
	for i := range Pillars {
		out = append(out, flag(pillars&(1<<i) != 0))
	}
	return out
}

func dateCells(t time.Time) []xcell {
	if t.IsZero() {
		return []xcell{day(nil), txt("")}
	}
	jt := t.In(jp.JST)
	return []xcell{day(&jt), wareki(jt)}
}

func fyCells(t time.Time) []xcell {
	fy := jp.FiscalYear(t)
	return []xcell{num(fy), txt(jp.FormatFiscalYear(fy))}
}

var fyHeader = []string{"年度", "年度（和暦）"}

// tables reads a year's records for the export. Notes, details and what
// companies wrote are not exported: the workbook goes to the council.
func (s *Service) tables(ctx context.Context, a auth.Actor, fy int, kinds []string) ([]table, error) {
	from, to := jp.FiscalYearRange(fy)
	dfrom, dto := fiscalDateRange(fy)
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []table
	if want[ExportSummary] {
		c, err := s.Counts(ctx, a, fy)
		if err != nil {
			return nil, err
		}
		t := table{name: exportSheets[ExportSummary], header: []string{"区分", "見出し", "訪問（実施）", "課題", "うち解決", "相談", "紹介"}}
		add := func(group string, list []TagCount) {
			for _, x := range list {
				t.rows = append(t.rows, []xcell{txt(group), txt(x.LabelJA), num(x.Visits), num(x.CompanyIssues), num(x.IssuesResolved), num(x.Consultations), num(x.Referrals)})
			}
		}
		t.rows = append(t.rows, []xcell{txt("合計"), txt(jp.FormatFiscalYear(fy)), num(c.Totals.Visits), num(c.Totals.CompanyIssues), num(c.Totals.IssuesResolved), num(c.Totals.Consultations), num(c.Totals.Referrals)})
		t.rows = append(t.rows, []xcell{txt("訪問企業数"), txt("実施済みの訪問があった企業"), num(c.VisitedCompanies), txt(""), txt(""), txt(""), txt("")})
		add("計画の柱", c.ByPillar)
		add("5つの力", c.ByCapability)
		add("施策", c.ByMeasure)
		add("相談の分類", c.ByCategory)
		add("紹介の結果", c.ByOutcome)
		t.rows = append(t.rows, []xcell{txt("注記"), txt("複数の柱・力に該当する記録はそれぞれに数えます。訪問メモ・課題の詳細・相談内容は含みません。"), txt(""), txt(""), txt(""), txt(""), txt("")})
		out = append(out, t)
	}
	if want[ExportVisits] {
		names := map[int64][]string{}
		rows, err := s.db.R.QueryContext(ctx, s.q.ExportAttendees, a.Municipality, from.UTC(), to.UTC())
		if err != nil {
			return nil, errs.Wrap(err, "export attendees")
		}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			names[id] = append(names[id], n)
		}
		rows.Close()
		t := table{name: exportSheets[ExportVisits], header: append(append(append([]string{"ID"}, fyHeader...), "訪問日（西暦）", "訪問日（和暦）", "開始", "所要（分）", "企業名", "法人番号", "目的", "ライフステージ", "出席者", "企業側の出席者", "課題の数"), tagHeader()...)}
		err = s.eachRow(ctx, s.q.ExportVisits, []any{a.Municipality, from.UTC(), to.UTC()}, func(r *sql.Rows) error {
			var id int64
			var at time.Time
			var minutes, caps, pillars, issues int
			var name, corp, purpose, stage, company string
			if err := r.Scan(&id, &at, &minutes, &name, &corp, &purpose, &caps, &pillars, &stage, &company, &issues); err != nil {
				return err
			}
			var people []string
			json.Unmarshal([]byte(company), &people)
			row := []xcell{num(int(id))}
			row = append(row, fyCells(at)...)
			row = append(row, dateCells(at)...)
			row = append(row, txt(at.In(jp.JST).Format("15:04")), num(minutes), txt(name), txt(corp), txt(purpose), txt(LifeStage(stage).Label("ja")),
				txt(strings.Join(names[id], "、")), txt(strings.Join(people, "、")), num(issues))
			t.rows = append(t.rows, append(row, tagCells(caps, pillars)...))
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if want[ExportIssues] {
		t := table{name: exportSheets[ExportIssues], header: append(append(append([]string{"ID"}, fyHeader...), "登録日（西暦）", "登録日（和暦）", "企業名", "課題", "状態", "担当", "期限（西暦）", "期限（和暦）", "解決日（西暦）", "解決日（和暦）", "施策", "紹介の数"), tagHeader()...)}
		err := s.eachRow(ctx, s.q.ExportIssues, []any{a.Municipality, from.UTC(), to.UTC()}, func(r *sql.Rows) error {
			var id int64
			var at time.Time
			var resolved sql.NullTime
			var caps, pillars, refs int
			var name, title, status, owner, due, measures string
			if err := r.Scan(&id, &at, &name, &title, &status, &owner, &due, &resolved, &caps, &pillars, &measures, &refs); err != nil {
				return err
			}
			var codes, mnames []string
			json.Unmarshal([]byte(measures), &codes)
			for _, code := range codes {
				if m, ok := MeasureByCode(code); ok {
					mnames = append(mnames, m.Name)
				}
			}
			row := []xcell{num(int(id))}
			row = append(row, fyCells(at)...)
			row = append(row, dateCells(at)...)
			row = append(row, txt(name), txt(title), txt(IssueStatus(status).Label("ja")), txt(owner))
			row = append(row, dateCells(Date(due).Time())...)
			var rt time.Time
			if resolved.Valid {
				rt = resolved.Time
			}
			row = append(row, dateCells(rt)...)
			row = append(row, txt(strings.Join(mnames, "、")), num(refs))
			t.rows = append(t.rows, append(row, tagCells(caps, pillars)...))
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if want[ExportConsultations] {
		t := table{name: exportSheets[ExportConsultations], header: append(append([]string{"ID"}, fyHeader...), "受付日（西暦）", "受付日（和暦）", "企業名", "受付方法", "分類", "件名", "状態", "担当", "フォローアップ（西暦）", "フォローアップ（和暦）", "紹介の数")}
		err := s.eachRow(ctx, s.q.ExportConsults, []any{a.Municipality, from.UTC(), to.UTC()}, func(r *sql.Rows) error {
			var id int64
			var at time.Time
			var refs int
			var name, channel, category, subject, status, owner, follow string
			if err := r.Scan(&id, &at, &name, &channel, &category, &subject, &status, &owner, &follow, &refs); err != nil {
				return err
			}
			row := []xcell{num(int(id))}
			row = append(row, fyCells(at)...)
			row = append(row, dateCells(at)...)
			row = append(row, txt(name), txt(Channel(channel).Label("ja")), txt(Category(category).Label("ja")), txt(subject), txt(ConsultationStatus(status).Label("ja")), txt(owner))
			row = append(row, dateCells(Date(follow).Time())...)
			t.rows = append(t.rows, append(row, num(refs)))
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if want[ExportReferrals] {
		t := table{name: exportSheets[ExportReferrals], header: append(append(append([]string{"ID"}, fyHeader...), "紹介日（西暦）", "紹介日（和暦）", "企業名", "紹介先", "紹介先の種別", "相談・課題", "施策", "結果", "フォローアップ（西暦）", "フォローアップ（和暦）", "担当"), tagHeader()...)}
		err := s.eachRow(ctx, s.q.ExportReferrals, []any{a.Municipality, string(dfrom), string(dto)}, func(r *sql.Rows) error {
			var id int64
			var caps, pillars int
			var on, name, agency, kind, subject, measure, outcome, follow, owner string
			if err := r.Scan(&id, &on, &name, &agency, &kind, &subject, &measure, &outcome, &follow, &owner, &caps, &pillars); err != nil {
				return err
			}
			at := Date(on).Time()
			mname := ""
			if m, ok := MeasureByCode(measure); ok {
				mname = m.Name
			}
			row := []xcell{num(int(id))}
			row = append(row, fyCells(at)...)
			row = append(row, dateCells(at)...)
			row = append(row, txt(name), txt(agency), txt(org.KindLabel(org.Kind(kind), "ja")), txt(subject), txt(mname), txt(Outcome(outcome).Label("ja")))
			row = append(row, dateCells(Date(follow).Time())...)
			row = append(row, txt(owner))
			t.rows = append(t.rows, append(row, tagCells(caps, pillars)...))
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (s *Service) eachRow(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return errs.Wrap(err, "export")
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return errs.Wrap(err, "export")
		}
	}
	return errs.Wrap(rows.Err(), "export")
}

// Export writes a fiscal year's records for the council: format "xlsx" (a
// workbook with a summary sheet and one sheet per kind, 和暦 beside 西暦
// dates, a 年度 column) or "csv" (one kind, UTF-8 with a BOM and CRLF so
// Excel opens it as it is). Staff only.
func (s *Service) Export(ctx context.Context, a auth.Actor, fy int, format, kind string, w io.Writer) error {
	if !a.Can(auth.PermVisitReport) {
		return errs.New(errs.Forbidden, "集計・出力の権限がありません", "You may not export the counts")
	}
	var fe errs.Fields
	if checkFiscalYear(fy) != nil {
		fe.Add("fiscal_year", "年度は2000から2100の間で指定してください", "The fiscal year must be between 2000 and 2100")
	}
	switch format {
	case "xlsx":
	case "csv":
		if !contains(ExportKinds, kind) {
			fe.Add("kind", "出力する種類は summary, visits, company_issues, consultations, referrals のいずれかです", "kind is summary, visits, company_issues, consultations or referrals")
		}
	default:
		fe.Add("format", "形式は xlsx か csv です", "format is xlsx or csv")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if format == "csv" {
		ts, err := s.tables(ctx, a, fy, []string{kind})
		if err != nil {
			return err
		}
		return writeCSV(w, ts[0])
	}
	ts, err := s.tables(ctx, a, fy, ExportKinds)
	if err != nil {
		return err
	}
	return writeXLSX(w, ts, fy)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeCSV(w io.Writer, t table) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(t.header); err != nil {
		return err
	}
	rec := make([]string, len(t.header))
	for _, r := range t.rows {
		for i, c := range r {
			switch c.kind {
			case 1:
				rec[i] = fmt.Sprint(c.v)
			case 2:
				if tm, _ := c.v.(*time.Time); tm != nil {
					rec[i] = tm.Format("2006/01/02")
				} else {
					rec[i] = ""
				}
			default:
				rec[i] = guardFormula(c.v.(string))
			}
		}
		if err := cw.Write(rec[:len(r)]); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// guardFormula keeps a text cell from being taken for a formula by Excel.
func guardFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeXLSX(w io.Writer, ts []table, fy int) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetDocProps(&excelize.DocProperties{Title: "企業訪問・相談の実績 " + jp.FormatFiscalYear(fy), Creator: "mieruka", Language: "ja-JP"})
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8F1FE"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy/mm/dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	for i, t := range ts {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.name)
		if err != nil {
			return err
		}
		widths := make([]float64, len(t.header))
		head := make([]any, len(t.header))
		for j, h := range t.header {
			head[j] = excelize.Cell{Value: h, StyleID: bold}
			widths[j] = float64(max(8, min(40, len([]rune(h))*2+2)))
		}
		for j, wdt := range widths {
			if err := sw.SetColWidth(j+1, j+1, wdt); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		vals := make([]any, len(t.header))
		for r, row := range t.rows {
			for j, c := range row {
				switch c.kind {
				case 1:
					vals[j] = c.v
				case 2:
					if tm, _ := c.v.(*time.Time); tm != nil {
						// Excel has no time zones: write the Japanese wall clock.
						wall := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
						vals[j] = excelize.Cell{Value: wall, StyleID: dateStyle}
					} else {
						vals[j] = nil
					}
				default:
					// Text stays text: excelize never writes a string as a formula.
					vals[j] = c.v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, vals[:len(row)]); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		if len(t.rows) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(t.header), len(t.rows)+1)
			if err := f.AutoFilter(t.name, "A1:"+last, nil); err != nil {
				return err
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}
