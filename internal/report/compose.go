package report

import (
	"strconv"
	"strings"

	"mieruka/internal/org"
)

// Page grid (points).
const (
	marginX   = 40.0
	contentW  = pageW - 2*marginX
	mainW     = 322.0
	colGap    = 20.0
	sideW     = contentW - mainW - colGap
	footerTop = pageH - 40.0 // the footer rule
	bodyEnd   = footerTop - 14
)

// composePR lays out a whole report page.
func composePR(l *lay, p *prepared, ch pageChrome) *box {
	page := &box{h: pageH}
	if ch.anchor != "" {
		page.add(anchorOp{name: ch.anchor})
	}

	// ---- band: header line and title block on a pale blue ground
	title, titleH := l.titleBlock(p)
	bandTop := 0.0
	titleY := 42.0
	bandH := titleY + titleH + 16
	if bandH < 108 {
		bandH = 108
	}
	page.add(rectOp{x: 0, y: bandTop, w: pageW, h: bandH, fill: colBlue50})
	page.add(rectOp{x: 0, y: 0, w: pageW, h: 5, fill: colBlue})
	page.place(l.headerLine(p, ch), marginX, 16)
	page.place(title, marginX, titleY)

	y := bandH + 16
	// ---- catch phrase, full width
	if p.catch != "" {
		st := tstyle{size: 13.5, bold: true, color: colBlue}
		b, _, _ := l.textBox(p.catch, st, 19, contentW, 2, false)
		page.place(b, marginX, y)
		y += b.h + 12
	}

	// ---- two columns
	avail := bodyEnd - y
	var mainSecs, sideSecs []section
	if p.kind == org.KindLab {
		mainSecs = l.labMain(p)
	} else {
		mainSecs = l.companyMain(p)
	}
	sideSecs = l.side(p)
	mainCol, _ := fitColumn(mainSecs, avail)
	page.place(mainCol, marginX, y)

	qr := l.qrBlock(p)
	sideAvail := avail
	if qr != nil {
		sideAvail -= qr.h + 14
	}
	sideCol, _ := fitColumn(sideSecs, sideAvail)
	sx := marginX + mainW + colGap
	page.place(sideCol, sx, y)
	if qr != nil {
		page.place(qr, sx, bodyEnd-qr.h)
	}
	// column rule
	page.add(lineOp{x1: sx - colGap/2, y1: y + 2, x2: sx - colGap/2, y2: bodyEnd, color: colRuleSoft, width: 0.5})

	page.place(l.footer(p, ch), marginX, footerTop)
	return page
}

// headerLine: title and issuer at left, issue date at right (or a booklet's
// running header).
func (l *lay) headerLine(p *prepared, ch pageChrome) *box {
	b := &box{h: 12}
	bst := tstyle{size: 8, bold: true, color: colBlue}
	mst := tstyle{size: 7.5, color: colText2}
	left := Title
	if ch.runningLeft != "" {
		left = ch.runningLeft
	}
	b.add(textOp{x: 0, y: 0, lead: 12, s: left, st: bst})
	x := l.fs.bold.measure(left, bst.size) + 10
	right := "発行日 " + issueDate(p.issued)
	if ch.runningRight != "" {
		right = ch.runningRight
	}
	rw := l.fs.regular.measure(right, mst.size)
	if ch.runningLeft == "" && p.issuer != "" {
		s := ellipsize(l.fs.regular, p.issuer, mst.size, contentW-x-rw-16)
		b.add(textOp{x: x, y: 0, lead: 12, s: s, st: mst})
	}
	right = ellipsize(l.fs.regular, right, mst.size, contentW/2)
	rw = l.fs.regular.measure(right, mst.size)
	b.add(textOp{x: contentW - rw, y: 0, lead: 12, s: right, st: mst})
	return b
}

// titleBlock: reading, name, and a line of industry and place; the logo at right.
func (l *lay) titleBlock(p *prepared) (*box, float64) {
	b := &box{}
	w := contentW
	logoBoxW, logoBoxH := 0.0, 0.0
	if p.logo != nil {
		logoBoxW, logoBoxH = 118, 62
		w -= logoBoxW + 16
		b.add(rectOp{x: contentW - logoBoxW, y: 0, w: logoBoxW, h: logoBoxH, fill: colWhite, radius: 6})
		iw, ih := fitInside(float64(p.logoW), float64(p.logoH), logoBoxW-14, logoBoxH-12)
		b.add(imageOp{data: p.logo, x: contentW - logoBoxW + (logoBoxW-iw)/2, y: (logoBoxH - ih) / 2, w: iw, h: ih})
	}
	y := 0.0
	sub := p.kana
	if p.kind == org.KindLab {
		sub = p.univLine
	}
	if sub != "" {
		st := tstyle{size: 8.5, color: colText2}
		b.add(textOp{y: y, lead: 13, s: ellipsize(l.fs.regular, sub, st.size, w), st: st})
		y += 14
	}
	name := p.name
	if p.kind == org.KindLab && p.univLine != "" {
		// the lab's own name reads better than the full path in large type
		if n := strings.TrimSpace(strings.TrimPrefix(name, p.univLine)); n != "" && n != name {
			name = n
		}
	}
	// largest size at which the name fits on one line, then two lines
	sizes := []float64{21, 19, 17, 15, 13.5}
	placed := false
	for _, s := range sizes {
		if l.fs.bold.measure(name, s) <= w {
			st := tstyle{size: s, bold: true, color: colText}
			b.add(textOp{y: y, lead: s * 1.35, s: name, st: st})
			y += s * 1.35
			placed = true
			break
		}
	}
	if !placed {
		s := 13.5
		st := tstyle{size: s, bold: true, color: colText}
		tb, _, _ := l.textBox(name, st, s*1.35, w, 2, false)
		// a name is never "continued on the Web": mark a cut with an ellipsis
		if len(wrap(l.fs.bold, name, s, w)) > 2 {
			lines := wrap(l.fs.bold, name, s, w)
			tb = &box{h: 2 * s * 1.35}
			tb.add(textOp{y: 0, lead: s * 1.35, s: lines[0].text, st: st})
			rest := strings.TrimPrefix(name, lines[0].text)
			tb.add(textOp{y: s * 1.35, lead: s * 1.35, s: ellipsize(l.fs.bold, strings.TrimSpace(rest), s, w), st: st})
		}
		b.place(tb, 0, y)
		y += tb.h
	}
	// industry and place
	var tags []string
	if p.kind == org.KindLab {
		if len(p.topics) > 0 {
			tags = append(tags, p.topics[0])
		}
	} else if p.jsicName != "" {
		tags = append(tags, ellipsize(l.fs.regular, p.jsicName, 7.5, w*0.6))
	}
	if p.city != "" {
		tags = append(tags, p.city)
	}
	if len(tags) > 0 {
		y += 4
		cb, _ := l.chips(tags, 7.5, w, colWhite, colBlue, false, 1)
		b.place(cb, 0, y)
		y += cb.h
	}
	if y < logoBoxH {
		y = logoBoxH
	}
	b.h = y
	return b, y
}

func fitInside(w, h, maxW, maxH float64) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	s := maxW / w
	if h*s > maxH {
		s = maxH / h
	}
	return w * s, h * s
}

// ---- main column ---------------------------------------------------------

func (l *lay) textSection(title, text string, minLines int, panel bool) section {
	return section{
		min: minLines,
		build: func(lv level, lim int) (*box, int) {
			w := mainW
			if panel {
				w -= 24
			}
			body, full, _ := l.textBox(text, tstyle{size: lv.body, color: colText}, lv.lead, w, lim, true)
			if !panel {
				return stack(2, l.heading(title, lv, mainW), body), full
			}
			pb := &box{}
			pb.add(rectOp{x: 0, y: 0, w: mainW, h: body.h + 20, fill: colBlue50, radius: 4})
			pb.add(rectOp{x: 0, y: 0, w: 3, h: body.h + 20, fill: colBlue})
			pb.place(body, 14, 10)
			pb.h = body.h + 20
			return stack(2, l.heading(title, lv, mainW), pb), full
		},
	}
}

func (l *lay) companyMain(p *prepared) []section {
	var secs []section
	if p.pr != "" {
		secs = append(secs, l.textSection("企業PR", p.pr, 3, false))
	}
	if len(p.products) > 0 || len(p.specialties) > 0 {
		secs = append(secs, l.productsSection(p))
	}
	if p.strengths != "" {
		secs = append(secs, l.textSection("専門家による強みの分析", p.strengths, 3, true))
	}
	if len(p.equipment) > 0 {
		secs = append(secs, l.equipmentSection(p))
	}
	return secs
}

func (l *lay) labMain(p *prepared) []section {
	var secs []section
	if p.seeds != "" {
		secs = append(secs, l.textSection("研究シーズ", p.seeds, 3, false))
	}
	if p.pr != "" {
		secs = append(secs, l.textSection("研究室からのメッセージ", p.pr, 2, false))
	}
	if len(p.topics) > 0 || len(p.keywords) > 0 {
		secs = append(secs, section{
			min: 1,
			build: func(lv level, lim int) (*box, int) {
				var parts []*box
				full := 0
				if len(p.topics) > 0 {
					cb, n := l.chips(p.topics, lv.small, mainW, colBlue50, colBlueDark, false, lim)
					parts = append(parts, cb)
					full += n
				}
				if len(p.keywords) > 0 {
					lb := &box{h: lv.slead}
					lb.add(textOp{lead: lv.slead, s: "キーワード", st: tstyle{size: lv.small - 0.5, color: colMuted}})
					cb, n := l.chips(p.keywords, lv.small, mainW, colWhite, colText2, true, lim)
					parts = append(parts, stack(3, lb, cb))
					full += n
				}
				return stack(2, l.heading("研究テーマ・キーワード", lv, mainW), stack(8, parts...)), full
			},
		})
	}
	if len(p.products) > 0 {
		secs = append(secs, l.productsSection(p))
	}
	if p.strengths != "" {
		secs = append(secs, l.textSection("専門家による強みの分析", p.strengths, 3, true))
	}
	if len(p.equipment) > 0 {
		secs = append(secs, l.equipmentSection(p))
	}
	return secs
}

// productsSection: up to two photos with captions, then the products as a list
// (two columns when they have no descriptions), then 得意技術.
func (l *lay) productsSection(p *prepared) section {
	title := "製品・技術"
	if p.kind == org.KindLab {
		title = "研究成果・技術"
	}
	withDesc := false
	for _, x := range p.products {
		if x.desc != "" {
			withDesc = true
		}
	}
	return section{
		min: 2,
		build: func(lv level, lim int) (*box, int) {
			var parts []*box
			if len(p.photos) > 0 {
				parts = append(parts, l.photoRow(p.photos, lv))
			}
			full := 0
			if len(p.products) > 0 {
				var lb *box
				lb, full = l.productList(p.products, withDesc, lv, lim)
				parts = append(parts, lb)
			}
			if len(p.specialties) > 0 {
				lb := &box{h: lv.slead}
				lb.add(textOp{lead: lv.slead, s: "得意技術", st: tstyle{size: lv.small - 0.5, color: colMuted}})
				cb, _ := l.chips(p.specialties, lv.small, mainW, colBlue50, colBlueDark, false, 2)
				parts = append(parts, stack(3, lb, cb))
			}
			if full == 0 {
				full = 1
			}
			return stack(2, l.heading(title, lv, mainW), stack(8, parts...)), full
		},
	}
}

func (l *lay) photoRow(ps []photo, lv level) *box {
	b := &box{}
	gap := 12.0
	n := float64(len(ps))
	fw := (mainW - gap*(n-1)) / n
	if len(ps) == 1 {
		fw = mainW*0.62 - gap/2
	}
	fh := 112.0
	if lv.body < 9 {
		fh = 96
	}
	capSt := tstyle{size: lv.small, color: colText2}
	for i, ph := range ps {
		x := float64(i) * (fw + gap)
		b.add(rectOp{x: x, y: 0, w: fw, h: fh, fill: colPanel})
		if r := float64(ph.w) / float64(ph.h); r > 0.5 && r < 2.5 {
			// photographs of ordinary proportions fill the frame
			b.add(imageOp{data: ph.data, x: x, y: 0, w: fw, h: fh, cover: true, pw: ph.w, ph: ph.h})
		} else {
			iw, ih := fitInside(float64(ph.w), float64(ph.h), fw, fh)
			b.add(imageOp{data: ph.data, x: x + (fw-iw)/2, y: (fh - ih) / 2, w: iw, h: ih})
		}
		b.add(textOp{x: x, y: fh + 3, lead: lv.slead, s: ellipsize(l.fs.regular, ph.caption, capSt.size, fw), st: capSt})
	}
	b.h = fh + 3 + lv.slead
	return b
}

// productList: items with descriptions take a row each (name bold, description
// up to two lines); bare names are set in two columns. lim caps the rows.
func (l *lay) productList(items []product, withDesc bool, lv level, lim int) (*box, int) {
	b := &box{}
	st := tstyle{size: lv.small + 0.5, color: colText}
	bullet := func(x, y float64) {
		b.add(rectOp{x: x, y: y + lv.slead/2 - 1.6, w: 3.2, h: 3.2, fill: colBlue, radius: 0.8})
	}
	if !withDesc {
		cols := 2
		colW := (mainW - 12) / 2
		rows := (len(items) + cols - 1) / cols
		full := rows
		show := items
		more := 0
		if lim > 0 && rows > lim {
			show = items[:lim*cols-1]
			more = len(items) - len(show)
			rows = lim
		}
		for i, it := range show {
			r, c := i%rows, i/rows
			x, y := float64(c)*(colW+12), float64(r)*lv.slead
			bullet(x, y)
			b.add(textOp{x: x + 9, y: y, lead: lv.slead, s: ellipsize(l.fs.regular, it.name, st.size, colW-9), st: st})
		}
		if more > 0 {
			i := len(show)
			r, c := i%rows, i/rows
			b.add(textOp{x: float64(c)*(colW+12) + 9, y: float64(r) * lv.slead, lead: lv.slead,
				s: "ほか" + strconv.Itoa(more) + "件（Webで公開）", st: tstyle{size: lv.small, color: colBlue, bold: true}})
		}
		b.h = float64(rows) * lv.slead
		return b, full
	}
	full := len(items)
	show := items
	more := 0
	if lim > 0 && len(items) > lim {
		show = items[:lim-1]
		more = len(items) - len(show)
	}
	y := 0.0
	ds := tstyle{size: lv.small, color: colText2}
	for _, it := range show {
		bullet(0, y)
		nb := st
		nb.bold = true
		b.add(textOp{x: 9, y: y, lead: lv.slead, s: ellipsize(l.fs.bold, it.name, nb.size, mainW-9), st: nb})
		y += lv.slead
		if it.desc != "" {
			db, _, _ := l.textBox(it.desc, ds, lv.slead, mainW-9, 2, false)
			b.place(db, 9, y)
			y += db.h
		}
		y += 3
	}
	if more > 0 {
		b.add(textOp{x: 9, y: y, lead: lv.slead, s: "ほか" + strconv.Itoa(more) + "件（Webで公開）", st: tstyle{size: lv.small, color: colBlue, bold: true}})
		y += lv.slead
	}
	b.h = y
	return b, full
}

// equipmentSection: a table when counts or specs exist (columns only for what is
// there), otherwise a two-column list.
func (l *lay) equipmentSection(p *prepared) section {
	hasCount, hasSpec, hasShared := false, false, false
	for _, e := range p.equipment {
		hasCount = hasCount || e.count != ""
		hasSpec = hasSpec || e.spec != ""
		hasShared = hasShared || e.shared
	}
	title := "主要設備"
	if p.kind == org.KindLab {
		title = "保有設備"
	}
	return section{
		min: 2,
		build: func(lv level, lim int) (*box, int) {
			if !hasCount && !hasSpec && !hasShared {
				items := make([]product, len(p.equipment))
				for i, e := range p.equipment {
					items[i] = product{name: e.name}
				}
				lb, full := l.productList(items, false, lv, lim)
				return stack(2, l.heading(title, lv, mainW), lb), full
			}
			return l.equipmentTable(title, p.equipment, hasCount, hasSpec, hasShared, lv, lim)
		},
	}
}

func (l *lay) equipmentTable(title string, eq []equip, hasCount, hasSpec, hasShared bool, lv level, lim int) (*box, int) {
	b := &box{}
	st := tstyle{size: lv.small, color: colText}
	hst := tstyle{size: lv.small - 0.5, bold: true, color: colBlueDark}
	rowH := lv.slead + 4
	countW, sharedW := 0.0, 0.0
	if hasCount {
		countW = 40
	}
	if hasShared {
		sharedW = 44
	}
	nameW := mainW - countW - sharedW
	specW := 0.0
	if hasSpec {
		nameW = (mainW - countW - sharedW) * 0.45
		specW = mainW - countW - sharedW - nameW
	}
	b.add(rectOp{x: 0, y: 0, w: mainW, h: rowH, fill: colBlue50})
	hx := 6.0
	b.add(textOp{x: hx, y: 0, lead: rowH, s: "設備名", st: hst})
	if hasCount {
		b.add(textOp{x: nameW + 4, y: 0, lead: rowH, s: "台数", st: hst})
	}
	if hasSpec {
		b.add(textOp{x: nameW + countW + 4, y: 0, lead: rowH, s: "仕様", st: hst})
	}
	if hasShared {
		b.add(textOp{x: nameW + countW + specW + 4, y: 0, lead: rowH, s: "学外利用", st: hst})
	}
	full := len(eq)
	show := eq
	more := 0
	if lim > 0 && len(eq) > lim {
		show = eq[:lim-1]
		more = len(eq) - len(show)
	}
	y := rowH
	for _, e := range show {
		b.add(textOp{x: hx, y: y, lead: rowH, s: ellipsize(l.fs.regular, e.name, st.size, nameW-10), st: st})
		if hasCount && e.count != "" {
			b.add(textOp{x: nameW + 4, y: y, lead: rowH, s: e.count, st: st})
		}
		if hasSpec && e.spec != "" {
			b.add(textOp{x: nameW + countW + 4, y: y, lead: rowH, s: ellipsize(l.fs.regular, e.spec, st.size, specW-8), st: tstyle{size: st.size, color: colText2}})
		}
		if hasShared && e.shared {
			b.add(textOp{x: nameW + countW + specW + 4, y: y, lead: rowH, s: "利用可", st: tstyle{size: st.size, color: colBlue, bold: true}})
		}
		y += rowH
		b.add(lineOp{x1: 0, y1: y, x2: mainW, y2: y, color: colRuleSoft, width: 0.5})
	}
	if more > 0 {
		b.add(textOp{x: hx, y: y, lead: rowH, s: "ほか" + strconv.Itoa(more) + "件（Webで公開）", st: tstyle{size: lv.small, color: colBlue, bold: true}})
		y += rowH
	}
	b.h = y
	return stack(2, l.heading(title, lv, mainW), b), full
}

// ---- side column ---------------------------------------------------------

func (l *lay) side(p *prepared) []section {
	var secs []section
	if len(p.basic) > 0 {
		secs = append(secs, section{build: func(lv level, lim int) (*box, int) {
			pb := &box{}
			dl := l.defList(p.basic, lv.small, lv.slead, sideW-20, 50)
			pb.add(rectOp{x: 0, y: 0, w: sideW, h: dl.h + 18, fill: colPanel2, radius: 4})
			pb.add(strokeRectOp{x: 0, y: 0, w: sideW, h: dl.h + 18, color: colRuleSoft, width: 0.5, radius: 4})
			pb.place(dl, 10, 9)
			pb.h = dl.h + 18
			title := "基本データ"
			if p.kind == org.KindLab {
				title = "研究室データ"
			}
			return stack(2, l.heading(title, lv, sideW), pb), 1
		}})
	}
	chipSec := func(title string, tags []string, fill, text rgb, outline bool) section {
		return section{min: 1, build: func(lv level, lim int) (*box, int) {
			cb, n := l.chips(tags, lv.small-0.5, sideW, fill, text, outline, lim)
			return stack(2, l.heading(title, lv, sideW), cb), n
		}}
	}
	if len(p.certs) > 0 {
		secs = append(secs, chipSec("認証・規格", p.certs, colWhite, colBlue, true))
	}
	if p.kind == org.KindLab {
		if len(p.collabs) > 0 {
			secs = append(secs, chipSec("連携のかたち", p.collabs, colBlue50, colBlueDark, false))
		}
	} else {
		if len(p.processes) > 0 {
			secs = append(secs, chipSec("加工・技術", p.processes, colBlue50, colBlueDark, false))
		}
		if len(p.materials) > 0 {
			secs = append(secs, chipSec("対応材料", p.materials, colPanel, colText, false))
		}
		var spec []kv
		if len(p.lots) > 0 {
			spec = append(spec, kv{label: "ロット", value: strings.Join(p.lots, "・")})
		}
		if p.maxSize != "" {
			spec = append(spec, kv{label: "最大寸法", value: p.maxSize})
		}
		if len(spec) > 0 {
			secs = append(secs, section{build: func(lv level, lim int) (*box, int) {
				return stack(2, l.heading("対応範囲", lv, sideW), l.defList(spec, lv.small, lv.slead, sideW, 50)), 1
			}})
		}
		if len(p.markets) > 0 {
			secs = append(secs, chipSec("主な取引分野", p.markets, colPanel, colText, false))
		}
	}
	if len(p.contacts) > 0 {
		secs = append(secs, section{min: 2, build: func(lv level, lim int) (*box, int) {
			text := strings.Join(p.contacts, "\n")
			tb, full, _ := l.textBox(text, tstyle{size: lv.small, color: colText}, lv.slead, sideW, lim, false)
			return stack(2, l.heading("お問い合わせ", lv, sideW), tb), full
		}})
	}
	return secs
}

// qrBlock: the QR code of the directory page with a caption.
func (l *lay) qrBlock(p *prepared) *box {
	if p.pageURL == "" {
		return nil
	}
	q, err := newQR(p.pageURL)
	if err != nil {
		return nil
	}
	size := 64.0
	b := &box{h: size}
	b.add(rectOp{x: 0, y: 0, w: sideW, h: size, fill: colBlue50, radius: 4})
	b.place(q.box(size-8), 4, 4)
	tx := size + 6
	tw := sideW - tx - 6
	b.add(textOp{x: tx, y: 6, lead: 12, s: "詳しい情報はWebで", st: tstyle{size: 8, bold: true, color: colBlueDark}})
	b.add(textOp{x: tx, y: 19, lead: 11, s: ellipsize(l.fs.regular, "最新の情報・お問い合わせ", 7, tw), st: tstyle{size: 7, color: colText2}})
	u := sanitize(l.fs, p.pageURL, false, nil)
	ust := tstyle{size: 6.5, color: colMuted}
	for i, ln := range wrapChars(l.fs.regular, u, ust.size, tw, 2) {
		b.add(textOp{x: tx, y: 34 + float64(i)*9, lead: 9, s: ln, st: ust})
	}
	if su := safeURL(p.pageURL); su != "" {
		b.add(linkOp{x: 0, y: 0, w: sideW, h: size, url: su})
	}
	return b
}

func (l *lay) footer(p *prepared, ch pageChrome) *box {
	b := &box{h: 30}
	b.add(lineOp{x1: 0, y1: 0, x2: contentW, y2: 0, color: colRule, width: 0.5})
	st := tstyle{size: 7, color: colMuted}
	left := "掲載内容は発行日時点のものです。"
	if p.issuer != "" {
		left = p.issuer + "　" + left
	}
	right := ""
	if ch.page > 0 {
		right = strconv.Itoa(ch.page)
		rs := tstyle{size: 9, bold: true, color: colText}
		rw := l.fs.bold.measure(right, rs.size)
		b.add(textOp{x: contentW - rw, y: 6, lead: 14, s: right, st: rs})
		b.add(textOp{x: 0, y: 7, lead: 12, s: ellipsize(l.fs.regular, left+"　発行日 "+issueDate(p.issued), st.size, contentW-rw-20), st: st})
		return b
	}
	if p.externalID != "" {
		right = "No. " + p.externalID
	}
	rw := l.fs.regular.measure(right, st.size)
	b.add(textOp{x: 0, y: 7, lead: 12, s: ellipsize(l.fs.regular, left, st.size, contentW-rw-20), st: st})
	if right != "" {
		b.add(textOp{x: contentW - rw, y: 7, lead: 12, s: right, st: st})
	}
	return b
}
