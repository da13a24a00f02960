package report

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"mieruka/internal/org"
)

// GroupBy chooses how a booklet's reports are ordered and its table of contents
// grouped.
type GroupBy string

const (
	GroupJSIC   GroupBy = "jsic"   // by 日本標準産業分類 中分類, then 五十音
	GroupGojuon GroupBy = "gojuon" // by 五十音 of the reading (あ行, か行, …)
)

// Booklet is the yearly compilation of PR reports of a municipality.
type Booklet struct {
	// Title on the cover; default Title (企業の魅力PRレポート).
	Title string
	// Municipality names the city, e.g. "日野市"; Issuer the office, default
	// Municipality + " 産業振興課".
	Municipality string
	Issuer       string
	// FiscalYear is the 年度, e.g. 2025 for 令和7年度.
	FiscalYear int
	// Preface is the editable foreword (はじめに); paragraphs separated by blank
	// lines or line breaks. It may run over more than one page.
	Preface string
	// GroupBy is GroupJSIC (default) or GroupGojuon. Labs form a last group,
	// 大学・研究機関, in both.
	GroupBy GroupBy
	// IssuedOn is the issue date; zero means today. It overrides the reports'
	// own IssuedOn, so that the whole booklet carries one date.
	IssuedOn time.Time
	// Reports are the companies and labs, in any order.
	Reports []Report
	// IndexTerms orders the process index (e.g. the municipality's taxonomy);
	// processes not listed follow in character order.
	IndexTerms []string
}

// RenderBooklet writes the booklet as one PDF: cover, preface, table of contents,
// one report per page with running headers and page numbers, an index of
// processes (and of research fields, when there are labs) with page numbers, and
// PDF bookmarks for every section and organization. progress (may be nil) is called
// after each report page with the number done and the total; ctx cancels between
// pages. Nothing is written to w unless the whole booklet was built.
func RenderBooklet(ctx context.Context, w io.Writer, b Booklet, progress func(done, total int)) error {
	fs, err := loadFonts()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if b.Title == "" {
		b.Title = Title
	}
	if b.IssuedOn.IsZero() {
		b.IssuedOn = time.Now()
	}
	if b.Issuer == "" && b.Municipality != "" {
		b.Issuer = b.Municipality + " 産業振興課"
	}
	l := &lay{fs}

	// ---- prepare and order
	entries := make([]*entry, 0, len(b.Reports))
	for i := range b.Reports {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r := b.Reports[i]
		r.IssuedOn = b.IssuedOn
		if r.Municipality == "" {
			r.Municipality = b.Municipality
		}
		if r.Issuer == "" {
			r.Issuer = b.Issuer
		}
		e := &entry{rep: &b.Reports[i], p: prepare(fs, r)}
		e.group, e.groupKey = groupOf(r, e.p, b.GroupBy)
		reading := r.Profile.NameKana
		if reading == "" || e.p.kind == org.KindLab {
			reading = r.Profile.Name
		}
		e.sortKey = sortKey(reading)
		e.title = e.p.name
		if e.p.kind == org.KindLab {
			if lab := oneLine(fs, r.Profile.Lab); lab != "" {
				e.title = lab
				if u := oneLine(fs, r.Profile.University); u != "" {
					e.title += "（" + u + "）"
				}
			}
		}
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, c := entries[i], entries[j]
		if a.groupKey != c.groupKey {
			return a.groupKey < c.groupKey
		}
		if a.sortKey != c.sortKey {
			return a.sortKey < c.sortKey
		}
		return a.p.name < c.p.name
	})
	for i, e := range entries {
		e.anchor = "r" + strconv.Itoa(i+1)
	}

	// ---- page plan: cover, preface, contents, reports, index
	issuer := oneLine(fs, b.Issuer)
	fy := fiscalYearLabel(b.FiscalYear)
	running := oneLine(fs, b.Title) + "　" + strings.TrimSpace(fy+"　"+oneLine(fs, b.Municipality))
	prefacePages := l.prefacePages(paragraphs(fs, b.Preface), b, issuer)
	tocRows := tocRows(l, entries)
	tocPages := paginate(tocRows, 2, pageTopFirst, pageTop)
	first := 1 + len(prefacePages) + len(tocPages) + 1
	for i, e := range entries {
		e.page = first + i
	}
	idxRows := indexRows(l, entries, b.IndexTerms)
	idxPages := paginate(idxRows, 3, pageTopFirst, pageTop)

	d, err := newPDFDoc(fs)
	if err != nil {
		return err
	}
	d.gp.SetInfo(gopdf.PdfInfo{
		Title:        oneLine(fs, b.Title) + " " + fy + " " + oneLine(fs, b.Municipality),
		Subject:      Title,
		Author:       issuer,
		Creator:      "mieruka",
		Producer:     "mieruka (gopdf)",
		CreationDate: b.IssuedOn,
	})
	ol := newOutline(d.gp)
	page := 0
	newPage := func() {
		d.gp.AddPage()
		page++
	}

	// cover
	newPage()
	ol.add("表紙", nil)
	if err := l.cover(b, fy, issuer, entries).draw(d, 0, 0); err != nil {
		return err
	}
	// preface
	for i, pb := range prefacePages {
		newPage()
		if i == 0 {
			ol.add("はじめに", nil)
		}
		if err := l.plainPage(pb, running, "はじめに", page).draw(d, 0, 0); err != nil {
			return err
		}
	}
	// contents
	for i, pg := range tocPages {
		newPage()
		if i == 0 {
			ol.add("目次", nil)
		}
		if err := l.plainPage(l.rowsPage(pg, "目次", i == 0, 2), running, "目次", page).draw(d, 0, 0); err != nil {
			return err
		}
	}
	// reports
	var group *outlineItem
	lastGroup := ""
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		newPage()
		if e.group != lastGroup || group == nil {
			group = ol.add(e.group, nil)
			lastGroup = e.group
		}
		ol.add(e.title, group)
		ch := pageChrome{runningLeft: running, runningRight: e.group, page: page, anchor: e.anchor}
		if err := composePR(l, e.p, ch).draw(d, 0, 0); err != nil {
			return err
		}
		if progress != nil {
			progress(i+1, len(entries))
		}
	}
	// index
	for i, pg := range idxPages {
		if err := ctx.Err(); err != nil {
			return err
		}
		newPage()
		if i == 0 {
			ol.add("索引", nil)
		}
		if err := l.plainPage(l.rowsPage(pg, "索引", i == 0, 3), running, "索引", page).draw(d, 0, 0); err != nil {
			return err
		}
	}
	ol.link()
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = d.gp.WriteTo(w)
	return err
}

type entry struct {
	rep             *Report
	p               *prepared
	group, groupKey string
	sortKey, anchor string
	page            int
	title           string // name in contents, index and bookmarks
}

const labGroup = "大学・研究機関"

func groupOf(r Report, p *prepared, by GroupBy) (name, key string) {
	if p.kind == org.KindLab {
		return labGroup, "~lab"
	}
	if by == GroupGojuon {
		reading := r.Profile.NameKana
		if reading == "" {
			reading = r.Profile.Name
		}
		row := gojuonRow(reading)
		order := strings.Index("あかさたなはまやらわ英そ", string([]rune(row)[0]))
		if order < 0 {
			order = 99
		}
		return row, fmt.Sprintf("%03d", order)
	}
	code := r.Profile.JSICCode
	if len(code) >= 2 {
		mid := code[:2]
		if n, ok := jsicMiddle[mid]; ok {
			return mid + " " + n, mid
		}
		if p.jsicName != "" {
			return mid + " " + p.jsicName, mid
		}
	}
	return "その他", "~other"
}

// ---- rows for contents and index -----------------------------------------

type rowKind int

const (
	rowHead rowKind = iota
	rowEntry
)

type row struct {
	kind   rowKind
	text   string
	entry  *entry
	height float64
}

const (
	pageTopFirst = 118.0 // first page of a section, below its title
	pageTop      = 70.0
)

func tocRows(l *lay, entries []*entry) []row {
	var rows []row
	last := ""
	for _, e := range entries {
		if e.group != last {
			rows = append(rows, row{kind: rowHead, text: e.group, height: 26})
			last = e.group
		}
		rows = append(rows, row{kind: rowEntry, text: e.title, entry: e, height: 15})
	}
	return rows
}

func indexRows(l *lay, entries []*entry, order []string) []row {
	byTerm := map[string][]*entry{}
	var labTerms []string
	labBy := map[string][]*entry{}
	for _, e := range entries {
		if e.p.kind == org.KindLab {
			for _, t := range e.p.topics {
				if _, ok := labBy[t]; !ok {
					labTerms = append(labTerms, t)
				}
				labBy[t] = append(labBy[t], e)
			}
			continue
		}
		for _, t := range e.p.processes {
			byTerm[t] = append(byTerm[t], e)
		}
	}
	var terms []string
	seen := map[string]bool{}
	for _, t := range order {
		if _, ok := byTerm[t]; ok && !seen[t] {
			terms = append(terms, t)
			seen[t] = true
		}
	}
	var rest []string
	for t := range byTerm {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	sort.Strings(rest)
	terms = append(terms, rest...)
	sort.Strings(labTerms)

	var rows []row
	emit := func(prefix string, terms []string, by map[string][]*entry) {
		for _, t := range terms {
			rows = append(rows, row{kind: rowHead, text: prefix + t, height: 24})
			es := append([]*entry{}, by[t]...)
			sort.SliceStable(es, func(i, j int) bool { return es[i].page < es[j].page })
			for _, e := range es {
				rows = append(rows, row{kind: rowEntry, text: e.title, entry: e, height: 13})
			}
		}
	}
	emit("", terms, byTerm)
	emit("研究分野：", labTerms, labBy)
	if len(rows) == 0 {
		rows = append(rows, row{kind: rowHead, text: "（掲載なし）", height: 24})
	}
	return rows
}

// paginate flows rows into columns and pages; a heading never ends a column.
func paginate(rows []row, cols int, firstTop, top float64) [][][]row {
	var pages [][][]row
	var page [][]row
	var col []row
	y := firstTop
	colTop := firstTop
	flushCol := func() {
		page = append(page, col)
		col = nil
		if len(page) == cols {
			pages = append(pages, page)
			page = nil
			colTop = top
		}
		y = colTop
	}
	for i, r := range rows {
		need := r.height
		if r.kind == rowHead && i+1 < len(rows) {
			need += rows[i+1].height
		}
		if y+need > bodyEnd && len(col) > 0 {
			flushCol()
		}
		col = append(col, r)
		y += r.height
	}
	if len(col) > 0 || len(page) > 0 {
		page = append(page, col)
		pages = append(pages, page)
	}
	if len(pages) == 0 {
		pages = append(pages, [][]row{nil})
	}
	return pages
}

// rowsPage sets one page of contents or index rows in columns.
func (l *lay) rowsPage(cols [][]row, title string, first bool, ncols int) *box {
	b := &box{h: pageH}
	top := pageTop
	if first {
		b.add(textOp{x: marginX, y: 58, lead: 30, s: title, st: tstyle{size: 20, bold: true, color: colText}})
		b.add(rectOp{x: marginX, y: 94, w: 28, h: 3, fill: colBlue})
		top = pageTopFirst
	}
	gap := 18.0
	cw := (contentW - gap*float64(ncols-1)) / float64(ncols)
	size := 8.5
	if ncols > 2 {
		size = 7.5
	}
	for c, rows := range cols {
		x := marginX + float64(c)*(cw+gap)
		y := top
		for _, r := range rows {
			switch r.kind {
			case rowHead:
				hy := y + 6
				b.add(rectOp{x: x, y: hy, w: cw, h: r.height - 8, fill: colBlue50})
				b.add(rectOp{x: x, y: hy, w: 3, h: r.height - 8, fill: colBlue})
				b.add(textOp{x: x + 8, y: hy, lead: r.height - 8, s: ellipsize(l.fs.bold, r.text, size+0.5, cw-12), st: tstyle{size: size + 0.5, bold: true, color: colBlueDark}})
			case rowEntry:
				num := strconv.Itoa(r.entry.page)
				st := tstyle{size: size, color: colText}
				nw := l.fs.regular.measure(num, size)
				name := ellipsize(l.fs.regular, r.text, size, cw-nw-22)
				b.add(textOp{x: x + 4, y: y, lead: r.height, s: name, st: st})
				// dotted leader
				lx := x + 4 + l.fs.regular.measure(name, size) + 4
				rx := x + cw - nw - 4
				if rx-lx > 6 {
					b.add(dotsOp{x1: lx, x2: rx, y: y + r.height*0.62, color: colRule})
				}
				b.add(textOp{x: x + cw - nw, y: y, lead: r.height, s: num, st: tstyle{size: size, color: colText2}})
				b.add(linkOp{x: x, y: y, w: cw, h: r.height, anchor: r.entry.anchor})
			}
			y += r.height
		}
	}
	return b
}

// dotsOp is a dotted leader line.
type dotsOp struct {
	x1, x2, y float64
	color     rgb
}

func (o dotsOp) draw(d *pdfDoc, dx, dy float64) error {
	d.gp.SetStrokeColor(o.color.r, o.color.g, o.color.b)
	d.gp.SetLineWidth(0.6)
	d.gp.SetCustomLineType([]float64{0.6, 2.2}, 0)
	d.gp.Line(dx+o.x1, dy+o.y, dx+o.x2, dy+o.y)
	d.gp.SetLineType("solid")
	return nil
}

// plainPage frames a booklet page (not a report) with running header and folio.
func (l *lay) plainPage(content *box, running, section string, page int) *box {
	b := &box{h: pageH}
	b.add(rectOp{x: 0, y: 0, w: pageW, h: 5, fill: colBlue})
	st := tstyle{size: 7.5, color: colText2}
	b.add(textOp{x: marginX, y: 18, lead: 12, s: running, st: tstyle{size: 7.5, bold: true, color: colBlue}})
	sw := l.fs.regular.measure(section, st.size)
	b.add(textOp{x: pageW - marginX - sw, y: 18, lead: 12, s: section, st: st})
	b.add(lineOp{x1: marginX, y1: 36, x2: pageW - marginX, y2: 36, color: colRuleSoft, width: 0.5})
	b.place(content, 0, 0)
	b.add(lineOp{x1: marginX, y1: footerTop, x2: pageW - marginX, y2: footerTop, color: colRule, width: 0.5})
	num := strconv.Itoa(page)
	nw := l.fs.bold.measure(num, 9)
	b.add(textOp{x: pageW - marginX - nw, y: footerTop + 6, lead: 14, s: num, st: tstyle{size: 9, bold: true, color: colText}})
	return b
}

// cover is the first page.
func (l *lay) cover(b Booklet, fy, issuer string, entries []*entry) *box {
	c := &box{h: pageH}
	bandH := 500.0
	c.add(rectOp{x: 0, y: 0, w: pageW, h: bandH, fill: colBlue})
	// a calm grid of squares, the "visible" motif
	for i := 0; i < 6; i++ {
		for j := 0; j < 4; j++ {
			col := colBlueDark
			if (i+j)%3 == 0 {
				col = rgb{0x33, 0x4F, 0xD6}
			}
			c.add(rectOp{x: pageW - marginX - 6*26 + float64(i)*26, y: 60 + float64(j)*26, w: 18, h: 18, fill: col})
		}
	}
	white := rgb{0xFF, 0xFF, 0xFF}
	c.add(textOp{x: marginX + 4, y: 210, lead: 20, s: fy, st: tstyle{size: 13, bold: true, color: colBlue100}})
	title := oneLine(l.fs, b.Title)
	size := 40.0
	for size > 20 && l.fs.bold.measure(title, size) > contentW {
		size -= 2
	}
	c.add(textOp{x: marginX, y: 238, lead: size * 1.3, s: ellipsize(l.fs.bold, title, size, contentW), st: tstyle{size: size, bold: true, color: white}})
	c.add(rectOp{x: marginX + 4, y: 238 + size*1.3 + 14, w: 48, h: 4, fill: white})
	c.add(textOp{x: marginX + 4, y: 238 + size*1.3 + 32, lead: 22, s: "ものづくり企業と大学研究室の「できること」", st: tstyle{size: 14, color: white}})
	muni := oneLine(l.fs, b.Municipality)
	if muni != "" {
		c.add(textOp{x: marginX + 4, y: bandH - 70, lead: 34, s: muni, st: tstyle{size: 26, bold: true, color: white}})
	}
	// counts
	nc, nl := 0, 0
	for _, e := range entries {
		if e.p.kind == org.KindLab {
			nl++
		} else {
			nc++
		}
	}
	y := bandH + 40
	stat := func(label, value, unit string, x float64) {
		c.add(textOp{x: x, y: y, lead: 14, s: label, st: tstyle{size: 9, color: colMuted}})
		c.add(textOp{x: x, y: y + 16, lead: 40, s: value, st: tstyle{size: 32, bold: true, color: colBlue}})
		vw := l.fs.bold.measure(value, 32)
		c.add(textOp{x: x + vw + 4, y: y + 30, lead: 20, s: unit, st: tstyle{size: 11, color: colText}})
	}
	stat("掲載企業", strconv.Itoa(nc), "社", marginX+4)
	if nl > 0 {
		stat("大学・研究機関の研究室", strconv.Itoa(nl), "研究室", marginX+4+170)
	}
	c.add(lineOp{x1: marginX, y1: y + 80, x2: pageW - marginX, y2: y + 80, color: colRule, width: 0.5})
	note := "各社・各研究室の製品、技術、設備と、専門家による強みの分析を1ページにまとめました。" +
		"QRコードから、それぞれの最新の情報をご覧いただけます。"
	nb, _, _ := l.textBox(note, tstyle{size: 10, color: colText2}, 18, contentW-8, 4, false)
	c.place(nb, marginX+4, y+96)
	c.add(textOp{x: marginX + 4, y: pageH - 90, lead: 20, s: issuer, st: tstyle{size: 12, bold: true, color: colText}})
	c.add(textOp{x: marginX + 4, y: pageH - 68, lead: 16, s: "発行日 " + issueDate(b.IssuedOn), st: tstyle{size: 9, color: colMuted}})
	return c
}

// prefacePages sets the foreword over as many pages as it needs, with the
// colophon under its end.
func (l *lay) prefacePages(text string, b Booklet, issuer string) []*box {
	size, lead := 10.5, 20.0
	w := contentW - 60
	var lines []line
	if text != "" {
		lines = wrap(l.fs.regular, text, size, w)
	}
	colo := []kv{}
	if issuer != "" {
		colo = append(colo, kv{label: "発行", value: issuer})
	}
	colo = append(colo, kv{label: "発行日", value: issueDate(b.IssuedOn)})
	colo = append(colo, kv{label: "書体", value: "BIZ UDゴシック（モリサワ、SIL Open Font License 1.1）"})
	colo = append(colo, kv{label: "ご注意", value: "掲載内容は各社・各研究室が公開している情報に基づき、発行日時点のものです。最新の情報は各ページのQRコードからご覧ください。"})
	cb := l.defList(colo, 8, 13, contentW-60, 60)

	var pages []*box
	cur := &box{h: pageH}
	cur.add(textOp{x: marginX, y: 58, lead: 30, s: "はじめに", st: tstyle{size: 20, bold: true, color: colText}})
	cur.add(rectOp{x: marginX, y: 94, w: 28, h: 3, fill: colBlue})
	y := pageTopFirst + 8
	for _, ln := range lines {
		if y+lead > bodyEnd {
			pages = append(pages, cur)
			cur = &box{h: pageH}
			y = pageTop
		}
		spacing := 0.0
		if n := len([]rune(ln.text)); ln.justify && n > 1 && (w-ln.width)/float64(n-1) <= size*0.3 {
			spacing = (w - ln.width) / float64(n-1)
		}
		cur.add(textOp{x: marginX + 30, y: y, lead: lead, s: ln.text, st: tstyle{size: size, color: colText}, spacing: spacing})
		y += lead
	}
	if y+cb.h+40 > bodyEnd {
		pages = append(pages, cur)
		cur = &box{h: pageH}
	}
	cur.add(lineOp{x1: marginX + 30, y1: bodyEnd - cb.h - 16, x2: pageW - marginX - 30, y2: bodyEnd - cb.h - 16, color: colRule, width: 0.5})
	cur.place(cb, marginX+30, bodyEnd-cb.h)
	pages = append(pages, cur)
	return pages
}

// ---- bookmarks -------------------------------------------------------------

// outline builds a two-level outline (sections and groups; organizations under
// their group), linking the items itself (gopdf's helpers link only flat lists).
type outline struct {
	gp    *gopdf.GoPdf
	items []*outlineItem // top level
}

type outlineItem struct {
	obj      *gopdf.OutlineObj
	children []*outlineItem
}

func newOutline(gp *gopdf.GoPdf) *outline { return &outline{gp: gp} }

func (o *outline) add(title string, parent *outlineItem) *outlineItem {
	it := &outlineItem{obj: o.gp.AddOutlineWithPosition(title)}
	if parent != nil {
		parent.children = append(parent.children, it)
	} else {
		o.items = append(o.items, it)
	}
	return it
}

func (o *outline) link() {
	linkSiblings(o.items)
	for _, it := range o.items {
		if len(it.children) == 0 {
			continue
		}
		linkSiblings(it.children)
		it.obj.SetFirst(it.children[0].obj.GetIndex())
		it.obj.SetLast(it.children[len(it.children)-1].obj.GetIndex())
		for _, c := range it.children {
			c.obj.SetParent(it.obj.GetIndex())
		}
	}
}

func linkSiblings(items []*outlineItem) {
	for i, it := range items {
		if i == 0 {
			it.obj.SetPrev(-1)
		} else {
			it.obj.SetPrev(items[i-1].obj.GetIndex())
		}
		if i == len(items)-1 {
			it.obj.SetNext(-1)
		} else {
			it.obj.SetNext(items[i+1].obj.GetIndex())
		}
	}
}
