package org

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"

	"golang.org/x/text/unicode/norm"
)

// cellKind says how a column's values are written.
type cellKind int

const (
	cellText cellKind = iota // one line of text
	cellLong                 // text with line breaks
	cellCode                 // text of digits that must stay text (法人番号, 郵便番号 …)
	cellList                 // a list joined by 、
	cellInt                  // a whole number
	cellYen                  // an amount of yen
	cellTime                 // a date and time (export only)
)

// column is one column of the CSV and XLSX formats.
type column struct {
	key     string   // English key: accepted as a header, and the field of row errors
	ja      string   // the header written by Export
	aliases []string // other headers accepted on import
	width   float64  // XLSX column width, in characters
	kind    cellKind
	staff   bool // exported only to actors who may read every field
	meta    bool // not a profile field: read by tableInput
	noOut   bool // import only (住所)
	noIn    bool // export only (更新日時)
	get     func(o *Organization) any
	set     func(p *Profile, v string, fe *errs.Fields)
}

func textColumn(key, ja string, width float64, f func(p *Profile) *string, aliases ...string) *column {
	return &column{key: key, ja: ja, aliases: aliases, width: width, kind: cellText,
		get: func(o *Organization) any { return *f(&o.Profile) },
		set: func(p *Profile, v string, _ *errs.Fields) { *f(p) = v }}
}

func longColumn(key, ja string, width float64, f func(p *Profile) *string, aliases ...string) *column {
	c := textColumn(key, ja, width, f, aliases...)
	c.kind = cellLong
	return c
}

func codeColumn(key, ja string, width float64, f func(p *Profile) *string, aliases ...string) *column {
	c := textColumn(key, ja, width, f, aliases...)
	c.kind = cellCode
	c.set = func(p *Profile, v string, _ *errs.Fields) { *f(p) = keepLeadingZeros(*f(p), v) }
	return c
}

// keepLeadingZeros undoes what Excel does to a CSV's digit-only codes it
// takes for numbers: JSIC 0911 comes back as 911 — another valid code — and
// the phone number 0425851111 as 425851111. When the value held (cur) is
// the cell's digits with zeros before them, the cell meant cur.
func keepLeadingZeros(cur, v string) string {
	if t := strings.TrimSpace(v); t != cur && isDigits(t) && strings.HasPrefix(cur, "0") && strings.TrimLeft(cur, "0") == t {
		return cur
	}
	return v
}

func listColumn(key, ja string, width float64, f func(p *Profile) *[]string, aliases ...string) *column {
	return &column{key: key, ja: ja, aliases: aliases, width: width, kind: cellList,
		get: func(o *Organization) any { return joinList(*f(&o.Profile)) },
		set: func(p *Profile, v string, _ *errs.Fields) { *f(p) = splitList(v) }}
}

func numberColumn(key, ja string, width float64, kind cellKind, get func(p *Profile) int64, set func(p *Profile, n int64) bool, aliases ...string) *column {
	return &column{key: key, ja: ja, aliases: aliases, width: width, kind: kind,
		get: func(o *Organization) any {
			if n := get(&o.Profile); n != 0 {
				return n
			}
			return nil
		},
		set: func(p *Profile, v string, fe *errs.Fields) {
			n, err := parseAmount(v)
			if err != nil || !set(p, n) {
				fe.Add(key, fmt.Sprintf("「%s」を数値として読めません", v), fmt.Sprintf("%q is not a number", v))
			}
		}}
}

func contactColumn(key, ja string, width float64, f func(c *Contact) *string, aliases ...string) *column {
	return &column{key: key, ja: ja, aliases: aliases, width: width, kind: cellCode,
		get: func(o *Organization) any {
			if len(o.Profile.Contacts) == 0 {
				return ""
			}
			return *f(&o.Profile.Contacts[0])
		},
		set: func(p *Profile, v string, _ *errs.Fields) {
			if len(p.Contacts) == 0 {
				if v == "" {
					return
				}
				p.Contacts = []Contact{{}}
			}
			*f(&p.Contacts[0]) = keepLeadingZeros(*f(&p.Contacts[0]), v)
		}}
}

var visibilityLabels = map[Visibility]string{Public: "一般公開", Partners: "ログイン利用者", Staff: "職員のみ"}

var groupLabels = map[FieldGroup]string{GroupScale: "規模", GroupContact: "連絡先", GroupCapabilities: "技術・設備", GroupPR: "PR", GroupStrengths: "強み", GroupResearch: "研究"}

func visibilityColumn(g FieldGroup) *column {
	key := "visibility." + string(g)
	return &column{key: key, ja: "公開範囲：" + groupLabels[g], aliases: []string{"visibility_" + string(g)}, width: 14, staff: true,
		get: func(o *Organization) any { return visibilityLabels[o.Profile.VisibilityOf(g)] },
		set: func(p *Profile, v string, fe *errs.Fields) {
			if v = strings.TrimSpace(v); v == "" {
				delete(p.Visibility, g)
				return
			}
			vis, ok := parseVisibility(v)
			if !ok {
				fe.Add(key, "公開範囲は「一般公開」「ログイン利用者」「職員のみ」（public, partners, staff）のいずれかです",
					"Visibility is one of public, partners, staff")
				return
			}
			if _, set := p.Visibility[g]; !set && vis == p.VisibilityOf(g) {
				return // the default, shown in the file: keep it implicit
			}
			if p.Visibility == nil {
				p.Visibility = map[FieldGroup]Visibility{}
			}
			p.Visibility[g] = vis
		}}
}

func metaColumn(key, ja string, width float64, kind cellKind, get func(o *Organization) any, aliases ...string) *column {
	return &column{key: key, ja: ja, aliases: aliases, width: width, kind: kind, meta: true, get: get}
}

// columns of the CSV and XLSX formats, in the order Export writes them.
var columns = func() []*column {
	cs := []*column{
		metaColumn("id", "ID", 8, cellInt, func(o *Organization) any { return o.ID }, "組織ID"),
		metaColumn("external_id", "外部ID", 12, cellCode, func(o *Organization) any { return o.ExternalID }, "externalid"),
		metaColumn("kind", "種別", 10, cellText, func(o *Organization) any { return KindLabel(o.Kind, "ja") }, "区分"),
		metaColumn("status", "状態", 10, cellText, func(o *Organization) any { return statusLabel(o.Status) }),
		metaColumn("published", "公開", 8, cellText, func(o *Organization) any { return publishedLabel(o.Published) }, "公開状態"),
		textColumn("name", "名称", 32, func(p *Profile) *string { return &p.Name }, "企業名", "会社名", "組織名", "法人名", "名前"),
		textColumn("name_kana", "フリガナ", 24, func(p *Profile) *string { return &p.NameKana }, "ふりがな", "カナ", "よみがな", "読み"),
		textColumn("name_en", "英語名", 24, func(p *Profile) *string { return &p.NameEN }, "英文名", "英語表記"),
		{key: "corporate_number", ja: "法人番号", width: 16, kind: cellCode,
			get: func(o *Organization) any { return o.Profile.CorporateNumber },
			set: func(p *Profile, v string, fe *errs.Fields) {
				if scientific.MatchString(strings.TrimSpace(v)) {
					fe.Add("corporate_number",
						fmt.Sprintf("法人番号「%s」が指数表記になっています。Excelで数値として扱われ、桁が失われたようです。.xlsx形式で出力・編集するか、列を文字列にしてください", v),
						fmt.Sprintf("The corporate number %q is in scientific notation: Excel took it for a number and dropped digits. Edit the .xlsx export instead, or format the column as text", v))
					return
				}
				p.CorporateNumber = v
			}},
		codeColumn("jsic_code", "日本標準産業分類", 12, func(p *Profile) *string { return &p.JSICCode }, "jsic", "産業分類", "業種コード"),
		{key: "postal_code", ja: "郵便番号", width: 10, kind: cellCode, aliases: []string{"zip", "〒"},
			get: func(o *Organization) any { return o.Profile.PostalCode },
			set: func(p *Profile, v string, _ *errs.Fields) {
				// Excel drops the leading zero of 060-0001 typed as 0600001.
				if d := strings.TrimSpace(v); len(d) >= 5 && len(d) <= 6 && isDigits(d) {
					v = strings.Repeat("0", 7-len(d)) + d
				}
				p.PostalCode = v
			}},
		{key: "address", ja: "住所", aliases: []string{"所在地"}, noOut: true,
			set: func(p *Profile, v string, _ *errs.Fields) {
				p.Address.Prefecture, p.Address.City, p.Address.Town = jp.SplitAddress(v)
			}},
		textColumn("address.prefecture", "都道府県", 10, func(p *Profile) *string { return &p.Address.Prefecture }, "prefecture"),
		textColumn("address.city", "市区町村", 12, func(p *Profile) *string { return &p.Address.City }, "city"),
		codeColumn("address.city_code", "市区町村コード", 10, func(p *Profile) *string { return &p.Address.CityCode }, "city_code", "地方公共団体コード"),
		textColumn("address.town", "町名・番地", 24, func(p *Profile) *string { return &p.Address.Town }, "town", "町名番地"),
		textColumn("address.building", "建物", 16, func(p *Profile) *string { return &p.Address.Building }, "building", "建物名", "ビル名"),
		textColumn("url", "URL", 28, func(p *Profile) *string { return &p.URL }, "ホームページ", "website", "ウェブサイト"),
		textColumn("representative", "代表者", 16, func(p *Profile) *string { return &p.Representative }, "代表者名"),
		{key: "founded_year", ja: "設立年", width: 8, kind: cellInt, aliases: []string{"設立"},
			get: func(o *Organization) any {
				if o.Profile.FoundedYear != 0 {
					return int64(o.Profile.FoundedYear)
				}
				return nil
			},
			set: func(p *Profile, v string, fe *errs.Fields) {
				y, err := parseYear(v)
				if err != nil {
					fe.Add("founded_year", fmt.Sprintf("設立年「%s」を読めません（例: 1975、昭和50年）", v), fmt.Sprintf("Cannot read the founding year %q (e.g. 1975)", v))
					return
				}
				p.FoundedYear = y
			}},
		numberColumn("employees", "従業員数", 10, cellInt, func(p *Profile) int64 { return int64(p.Employees) },
			func(p *Profile, n int64) bool { p.Employees = int(n); return n >= math.MinInt32 && n <= math.MaxInt32 }, "従業員"),
		numberColumn("capital_yen", "資本金（円）", 16, cellYen, func(p *Profile) int64 { return p.CapitalYen },
			func(p *Profile, n int64) bool { p.CapitalYen = n; return true }, "資本金", "capital"),
		listColumn("processes", "加工技術", 24, func(p *Profile) *[]string { return &p.Processes }),
		listColumn("specialties", "得意技術", 24, func(p *Profile) *[]string { return &p.Specialties }),
		listColumn("materials", "材料", 20, func(p *Profile) *[]string { return &p.Materials }, "材質"),
		listColumn("certifications", "認証", 16, func(p *Profile) *[]string { return &p.Certifications }),
		listColumn("lot", "ロット", 12, func(p *Profile) *[]string { return &p.Lot }),
		listColumn("markets", "主な市場", 20, func(p *Profile) *[]string { return &p.Markets }, "市場"),
		textColumn("max_workpiece_size", "最大加工サイズ", 20, func(p *Profile) *string { return &p.MaxWorkpieceSize }),
		{key: "equipment", ja: "設備", width: 30, kind: cellList, aliases: []string{"主要設備"},
			get: func(o *Organization) any {
				names := make([]string, len(o.Profile.Equipment))
				for i, e := range o.Profile.Equipment {
					names[i] = e.Name
				}
				return joinList(names)
			},
			set: func(p *Profile, v string, _ *errs.Fields) {
				p.Equipment = mergeByName(p.Equipment, splitList(v), func(e Equipment) string { return e.Name }, func(n string) Equipment { return Equipment{Name: n} })
			}},
		{key: "products", ja: "製品", width: 30, kind: cellList, aliases: []string{"主要製品"},
			get: func(o *Organization) any {
				names := make([]string, len(o.Profile.Products))
				for i, x := range o.Profile.Products {
					names[i] = x.Name
				}
				return joinList(names)
			},
			set: func(p *Profile, v string, _ *errs.Fields) {
				p.Products = mergeByName(p.Products, splitList(v), func(x Product) string { return x.Name }, func(n string) Product { return Product{Name: n} })
			}},
		textColumn("catch_phrase", "キャッチフレーズ", 30, func(p *Profile) *string { return &p.CatchPhrase }),
		longColumn("pr_text", "PR文", 50, func(p *Profile) *string { return &p.PRText }, "PR", "自社PR"),
		longColumn("strengths", "強み（専門家の分析）", 50, func(p *Profile) *string { return &p.Strengths }, "強み"),
		contactColumn("contacts[0].department", "連絡先部署", 16, func(c *Contact) *string { return &c.Department }, "contact_department", "部署"),
		contactColumn("contacts[0].person", "担当者", 14, func(c *Contact) *string { return &c.Person }, "contact_person", "担当者名"),
		contactColumn("contacts[0].phone", "電話", 14, func(c *Contact) *string { return &c.Phone }, "phone", "電話番号", "tel"),
		contactColumn("contacts[0].fax", "FAX", 14, func(c *Contact) *string { return &c.Fax }, "fax番号"),
		contactColumn("contacts[0].email", "メール", 24, func(c *Contact) *string { return &c.Email }, "email", "メールアドレス", "e-mail", "mail"),
		textColumn("university", "大学", 20, func(p *Profile) *string { return &p.University }, "大学名"),
		textColumn("faculty", "学部", 16, func(p *Profile) *string { return &p.Faculty }),
		textColumn("department", "学科", 16, func(p *Profile) *string { return &p.Department }),
		textColumn("lab", "研究室", 20, func(p *Profile) *string { return &p.Lab }, "研究室名"),
		textColumn("head", "代表者（研究室）", 14, func(p *Profile) *string { return &p.Head }, "研究室代表者"),
		textColumn("head_kana", "代表者フリガナ（研究室）", 16, func(p *Profile) *string { return &p.HeadKana }),
		listColumn("research_topics", "研究分野", 24, func(p *Profile) *[]string { return &p.ResearchTopics }),
		listColumn("keywords", "キーワード", 24, func(p *Profile) *[]string { return &p.Keywords }),
		longColumn("seeds_text", "シーズ", 50, func(p *Profile) *string { return &p.SeedsText }, "研究シーズ"),
		listColumn("collaboration", "連携形態", 20, func(p *Profile) *[]string { return &p.Collaboration }),
	}
	for _, fg := range FieldGroups {
		cs = append(cs, visibilityColumn(fg.Group))
	}
	notes := longColumn("notes", "内部メモ", 40, func(p *Profile) *string { return &p.Notes }, "メモ")
	notes.staff = true
	cs = append(cs, notes,
		metaColumn("version", "バージョン", 8, cellInt, func(o *Organization) any { return int64(o.Version) }, "版"),
		&column{key: "updated_at", ja: "更新日時", width: 18, kind: cellTime, noIn: true,
			get: func(o *Organization) any { return o.UpdatedAt.In(jp.JST) }},
		&column{key: "updated_wareki", ja: "更新日（和暦）", width: 18, kind: cellText, noIn: true,
			get: func(o *Organization) any { return jp.FormatWareki(o.UpdatedAt) }},
	)
	return cs
}()

var (
	columnsByHeader = map[string]*column{}
	columnsByKey    = map[string]*column{}
)

func init() {
	for _, c := range columns {
		columnsByKey[c.key] = c
		for _, h := range append([]string{c.key, c.ja}, c.aliases...) {
			k := headerKey(h)
			if x, dup := columnsByHeader[k]; dup && x != c {
				panic(fmt.Sprintf("org: header %q names both %s and %s", h, x.key, c.key))
			}
			columnsByHeader[k] = c
		}
	}
}

// headerKey folds a header for matching: widths, case, spaces, brackets and
// punctuation do not matter ("資本金(円)" = "資本金（円）", "Name Kana" =
// "name_kana").
func headerKey(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '\ufeff', strings.ContainsRune("_-.・:()（）*＊※", r):
			return -1
		}
		return r
	}, s)
}

// exportColumns are the columns written for the actor.
func exportColumns(a auth.Actor) []*column {
	staff := a.Can(auth.PermRegistryRead)
	var out []*column
	for _, c := range columns {
		if !c.noOut && (staff || !c.staff) {
			out = append(out, c)
		}
	}
	return out
}

// columnForField finds the column a profile field is in: "equipment[2].name"
// is in 設備, "contacts[0].email" in メール; "contacts[1].email" in none.
func columnForField(field string) *column {
	if c, ok := columnsByKey[field]; ok {
		return c
	}
	if i := strings.IndexByte(field, '['); i > 0 {
		if c, ok := columnsByKey[field[:i]]; ok {
			return c
		}
	}
	return nil
}

// columnName is the spreadsheet name of the i-th column (0 → A, 26 → AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// tableHeader maps a CSV or XLSX file's columns.
type tableHeader struct {
	cols   []*column      // by the file's column; nil: not read
	labels []string       // the headers as written
	index  map[string]int // column key → the file's column
}

func (im *importer) parseHeader(row rawRow) error {
	if row.bad != nil {
		return errs.New(errs.BadRequest, "見出し行（"+strconv.Itoa(row.line)+"行目）を読めません: "+row.bad.JA, "Cannot read the header (line "+strconv.Itoa(row.line)+"): "+row.bad.EN)
	}
	h := &tableHeader{cols: make([]*column, len(row.cells)), labels: make([]string, len(row.cells)), index: map[string]int{}}
	for i, cell := range row.cells {
		label := strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff"))
		h.labels[i] = label
		if label == "" {
			continue
		}
		c := columnsByHeader[headerKey(label)]
		if c == nil {
			im.warn(row.line, fmt.Sprintf("列「%s」（%s列）は使わない列のため、読み飛ばしました", label, columnName(i)),
				fmt.Sprintf("Skipped the unknown column %q (column %s)", label, columnName(i)))
			continue
		}
		if j, dup := h.index[c.key]; dup {
			return errs.New(errs.BadRequest,
				fmt.Sprintf("列「%s」が2回あります（%s列と%s列）。どちらか一方にしてください", c.ja, columnName(j), columnName(i)),
				fmt.Sprintf("The column %q appears twice (columns %s and %s); keep one", c.key, columnName(j), columnName(i)))
		}
		h.index[c.key] = i
		if c.noIn {
			continue // written by Export for people to read; not imported
		}
		h.cols[i] = c
	}
	found := false
	for _, k := range []string{"name", "id", "external_id", "corporate_number"} {
		_, ok := h.index[k]
		found = found || ok
	}
	if !found {
		return errs.New(errs.BadRequest,
			fmt.Sprintf("%d行目を見出し行として読めません。1行目に「名称」「法人番号」「外部ID」「ID」などの列名を入れてください", row.line),
			fmt.Sprintf("Line %d is not a header the import understands: the first row must name the columns, such as name, corporate_number, external_id or id", row.line))
	}
	im.hdr = h
	return nil
}

// tableInput reads a CSV or XLSX data row.
func (im *importer) tableInput(row rawRow) *rowInput {
	in := &rowInput{line: row.line}
	h := im.hdr
	n := len(row.cells)
	for _, c := range row.cells[min(n, len(h.cols)):] {
		if strings.TrimSpace(c) != "" {
			in.errs = append(in.errs, ImportRowError{Line: row.line, JA: fmt.Sprintf("列の数が見出しより多くなっています（見出し%d列、この行%d列）", len(h.cols), n),
				EN: fmt.Sprintf("The line has more columns than the header (%d, header %d)", n, len(h.cols))})
			return in
		}
	}
	if im.format == FormatCSV && n < len(h.cols) {
		// XLSX leaves out empty cells at the end of a row; a CSV row always
		// has them all, so a short one is broken (often a line break outside
		// quotes).
		in.errs = append(in.errs, ImportRowError{Line: row.line, JA: fmt.Sprintf("列の数が見出しより少なくなっています（見出し%d列、この行%d列）", len(h.cols), n),
			EN: fmt.Sprintf("The line has fewer columns than the header (%d, header %d)", n, len(h.cols))})
		return in
	}
	bad := func(field, ja, en string) {
		in.errs = append(in.errs, ImportRowError{Line: row.line, Field: field, Column: im.columnOf(field), JA: ja, EN: en})
	}
	for i, c := range h.cols {
		v := ""
		if i < n {
			v = row.cells[i]
			if im.format == FormatCSV {
				v = unguardFormula(v)
			}
		}
		if c == nil {
			if strings.TrimSpace(v) != "" && h.labels[i] == "" {
				im.warnOnce("blank-header:"+strconv.Itoa(i), row.line,
					fmt.Sprintf("見出しのない%s列の値は読み飛ばしました", columnName(i)),
					fmt.Sprintf("Skipped the values of column %s, which has no header", columnName(i)))
			}
			continue
		}
		if !c.meta {
			if c.key == "address" {
				// The whole address first: its own columns then override it.
				in.cells = append([]cellValue{{col: c, v: v}}, in.cells...)
			} else {
				in.cells = append(in.cells, cellValue{col: c, v: v})
			}
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch c.key {
		case "id":
			id, err := parseAmount(v)
			if err != nil || id <= 0 {
				bad("id", fmt.Sprintf("ID「%s」は正の整数で入力してください", v), fmt.Sprintf("The id %q must be a positive whole number", v))
			}
			in.id = id
		case "external_id":
			in.externalID = v
		case "kind":
			k, ok := parseKind(v)
			if !ok {
				bad("kind", "種別は 企業・研究室・大学・金融機関・支援機関（company, lab, university, bank, agency）のいずれかです",
					"Kind is one of company, lab, university, bank, agency")
			}
			in.kind = k
		case "status":
			st, ok := parseStatus(v)
			if !ok {
				bad("status", "状態は「有効」か「アーカイブ」（active, archived）です", "Status is active or archived")
			}
			in.status = st
		case "published":
			b, ok := parseBool(v)
			if !ok {
				bad("published", "公開は「公開」か「非公開」（1/0、はい/いいえ、true/false）で入力してください",
					"Published is 公開 or 非公開 (1/0, yes/no, true/false)")
			} else {
				in.published = &b
			}
		case "version":
			if ver, err := parseAmount(v); err == nil && ver > 0 && ver <= math.MaxInt32 {
				in.version = int(ver)
			} else {
				bad("version", fmt.Sprintf("バージョン「%s」は正の整数です", v), fmt.Sprintf("The version %q must be a positive whole number", v))
			}
		}
	}
	return in
}

func statusLabel(s Status) string {
	if s == StatusArchived {
		return "アーカイブ"
	}
	return "有効"
}

func publishedLabel(b bool) string {
	if b {
		return "公開"
	}
	return "非公開"
}

// foldedIs reports whether v is one of the words, ignoring width, case
// and kana.
func foldedIs(v string, words ...string) bool {
	k := jp.Fold(v)
	for _, w := range words {
		if k == jp.Fold(w) {
			return true
		}
	}
	return false
}

func parseKind(v string) (Kind, bool) {
	for _, x := range Kinds {
		if foldedIs(v, string(x), KindLabel(x, "ja"), KindLabel(x, "en")) {
			return x, true
		}
	}
	return "", false
}

func parseStatus(v string) (Status, bool) {
	switch {
	case foldedIs(v, "active", "有効", "使用中"):
		return StatusActive, true
	case foldedIs(v, "archived", "archive", "アーカイブ"):
		return StatusArchived, true
	}
	return "", false
}

func parseBool(v string) (bool, bool) {
	switch {
	case foldedIs(v, "1", "true", "yes", "y", "on", "はい", "公開", "○", "〇"):
		return true, true
	case foldedIs(v, "0", "false", "no", "n", "off", "いいえ", "非公開", "×", "x"):
		return false, true
	}
	return false, false
}

func parseVisibility(v string) (Visibility, bool) {
	switch {
	case foldedIs(v, "public", visibilityLabels[Public], "公開", "一般"):
		return Public, true
	case foldedIs(v, "partners", "partner", visibilityLabels[Partners], "会員", "利用者", "登録利用者"):
		return Partners, true
	case foldedIs(v, "staff", visibilityLabels[Staff], "職員", "非公開"):
		return Staff, true
	}
	return "", false
}

var (
	scientific = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+$`)
	yearRE     = regexp.MustCompile(`^([0-9]{4})(?:[年/.\-].*)?$`)
	amountRE   = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)(千万|百万|十万|兆|億|万|千)?`)
)

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// parseAmount reads a whole number as people write it: 1,000、１０００人、
// 1000万円、1億2,000万円, and Excel's 25 or 25.0. Empty is 0.
func parseAmount(v string) (int64, error) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(",円人名社¥￥", r) {
			return -1
		}
		return r
	}, norm.NFKC.String(v))
	if s == "" {
		return 0, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eEinfINFxX") {
		if f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return 0, fmt.Errorf("not a whole number: %q", v)
		}
		return int64(f), nil
	}
	// Japanese units: each number may carry one, largest first.
	ms := amountRE.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return 0, fmt.Errorf("not a number: %q", v)
	}
	units := map[string]float64{"": 1, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "億": 1e8, "兆": 1e12}
	total, pos, last := 0.0, 0, math.Inf(1)
	for _, m := range ms {
		if m[0] != pos {
			return 0, fmt.Errorf("not a number: %q", v)
		}
		n, _ := strconv.ParseFloat(s[m[2]:m[3]], 64)
		u := ""
		if m[4] >= 0 {
			u = s[m[4]:m[5]]
		}
		if units[u] >= last {
			return 0, fmt.Errorf("not a number: %q", v)
		}
		total += n * units[u]
		pos, last = m[1], units[u]
	}
	if pos != len(s) || total != math.Trunc(total) || total > 1e15 {
		return 0, fmt.Errorf("not a number: %q", v)
	}
	return int64(total), nil
}

// parseYear reads a year: 1975, 1975年, 1975/4/1, 昭和50年, S50, 平成元年.
func parseYear(v string) (int, error) {
	s := strings.TrimSpace(norm.NFKC.String(v))
	if s == "" {
		return 0, nil
	}
	if m := yearRE.FindStringSubmatch(s); m != nil {
		return strconv.Atoi(m[1])
	}
	for _, e := range jp.Eras() {
		rest, ok := strings.CutPrefix(s, e.Name)
		if !ok {
			rest, ok = strings.CutPrefix(strings.ToUpper(s), e.Abbrev)
		}
		if !ok {
			continue
		}
		rest = strings.TrimSuffix(strings.TrimSpace(rest), "年")
		n := 1
		if rest != "元" {
			var err error
			if n, err = strconv.Atoi(rest); err != nil || n < 1 {
				return 0, fmt.Errorf("not a year: %q", v)
			}
		}
		return e.Start.Year() + n - 1, nil
	}
	n, err := parseAmount(s)
	if err != nil || n > 9999 {
		return 0, fmt.Errorf("not a year: %q", v)
	}
	return int(n), nil
}

// listSeparators split a list cell; a cell with line breaks is split on them
// only.
const listSeparators = "、､;；,，"

var (
	openBrackets  = "（(「『[［【｛{〔<＜"
	closeBrackets = "）)」』]］】｝}〕>＞"
)

// splitList splits a list cell: on line breaks if it has any, else on 、 ; ；
// , ， outside brackets ("NC旋盤（DMG, 2台）" stays one item).
func splitList(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var parts []string
	if strings.Contains(s, "\n") {
		parts = strings.Split(s, "\n")
	} else {
		depth, start := 0, 0
		for i, r := range s {
			switch {
			case strings.ContainsRune(openBrackets, r):
				depth++
			case strings.ContainsRune(closeBrackets, r):
				depth = max(0, depth-1)
			case depth == 0 && strings.ContainsRune(listSeparators, r):
				parts = append(parts, s[start:i])
				start = i + len(string(r))
			}
		}
		parts = append(parts, s[start:])
	}
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// joinList joins a list for a cell: with 、 when that splits back into the
// same items, else with line breaks (and a final one for a single item
// holding a separator, so that it is not split on the way back).
func joinList(items []string) string {
	j := strings.Join(items, "、")
	if slices.Equal(splitList(j), items) {
		return j
	}
	j = strings.Join(items, "\n")
	if len(items) == 1 {
		j += "\n"
	}
	return j
}

// mergeByName rebuilds a list of equipment or products from the names in a
// cell, keeping the details (count, spec, photo …) of each name that was
// there: the n-th "NC旋盤" of the cell takes the n-th one's details.
func mergeByName[T any](old []T, names []string, name func(T) string, make func(string) T) []T {
	byName := map[string][]T{}
	for _, x := range old {
		k := cleanLine(name(x))
		byName[k] = append(byName[k], x)
	}
	var out []T
	for _, n := range names {
		k := cleanLine(n)
		if xs := byName[k]; len(xs) > 0 {
			out = append(out, xs[0])
			byName[k] = xs[1:]
			continue
		}
		out = append(out, make(n))
	}
	return out
}

// guardFormula keeps a CSV cell from being taken for a formula by Excel: a
// value starting with = + - @ (or a tab or carriage return) gets a leading
// apostrophe, as does one already starting with an apostrophe before such a
// character, so that unguardFormula gives back exactly the value.
func guardFormula(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

func needsGuard(s string) bool {
	for s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return true
		case '\'':
			s = s[1:]
			continue
		}
		return false
	}
	return false
}

// unguardFormula undoes guardFormula.
func unguardFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsGuard(s[1:]) {
		return s[1:]
	}
	return s
}

// cellString is a value as CSV text.
func cellString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return guardFormula(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		return x.Format("2006/01/02 15:04:05")
	}
	return guardFormula(fmt.Sprint(v))
}
