package report

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// level is one step of type sizes; fitting walks down the steps.
type level struct {
	body, lead   float64 // running text
	small, slead float64 // tables, lists, side column
	head         float64 // section headings
	gap          float64 // between sections
}

var levels = []level{
	{body: 9.5, lead: 16, small: 8.5, slead: 13.5, head: 10.5, gap: 15},
	{body: 9, lead: 15, small: 8, slead: 13, head: 10, gap: 13},
	{body: 8.5, lead: 14, small: 8, slead: 12.5, head: 10, gap: 12},
	{body: 8, lead: 13, small: 7.5, slead: 12, head: 9.5, gap: 11},
	{body: 7.5, lead: 12, small: 7, slead: 11, head: 9, gap: 10}, // readable minimum
}

// lay builds boxes with the page's fonts.
type lay struct{ fs *fontSet }

func (l *lay) face(bold bool) *face {
	if bold {
		return l.fs.bold
	}
	return l.fs.regular
}

// textBox sets text in lines of width w; maxLines ≤ 0 is unlimited. It returns the
// box, the number of lines the whole text needs, and whether it was cut.
func (l *lay) textBox(text string, st tstyle, lead, w float64, maxLines int, justify bool) (*box, int, bool) {
	f := l.face(st.bold)
	full := wrap(f, text, st.size, w)
	lines, cut := full, false
	if maxLines > 0 && len(full) > maxLines {
		lines, cut = fitLines(f, text, st.size, w, maxLines)
	}
	b := &box{}
	for i, ln := range lines {
		y := float64(i) * lead
		spacing := 0.0
		n := utf8.RuneCountInString(ln.text)
		if justify && ln.justify && n > 1 {
			// spread a full line to the measure (after 追い出し it is a
			// character or two short), unless the gaps would become loose
			if extra := w - ln.width; extra > 0 && extra/float64(n-1) <= st.size*0.3 {
				spacing = extra / float64(n-1)
			}
		}
		if cut && i == len(lines)-1 && strings.HasSuffix(ln.text, ContinueMarker) {
			pre := strings.TrimSuffix(ln.text, ContinueMarker)
			b.add(textOp{x: 0, y: y, lead: lead, s: pre, st: st})
			ms := st
			ms.color = colBlue
			ms.bold = true
			b.add(textOp{x: f.measure(pre, st.size), y: y, lead: lead, s: ContinueMarker, st: ms})
			continue
		}
		b.add(textOp{x: 0, y: y, lead: lead, s: ln.text, st: st, spacing: spacing})
	}
	b.h = float64(len(lines)) * lead
	return b, len(full), cut
}

// heading is a section title: a short blue bar, the title, and a hairline.
func (l *lay) heading(title string, lv level, w float64) *box {
	b := &box{}
	lead := lv.head * 1.5
	b.add(rectOp{x: 0, y: (lead - lv.head) / 2, w: 3, h: lv.head, fill: colBlue})
	st := tstyle{size: lv.head, bold: true, color: colText}
	b.add(textOp{x: 8, y: 0, lead: lead, s: ellipsize(l.fs.bold, title, lv.head, w-8), st: st})
	tw := l.fs.bold.measure(title, lv.head)
	if 8+tw+8 < w {
		b.add(lineOp{x1: 8 + tw + 8, y1: lead / 2, x2: w, y2: lead / 2, color: colRule, width: 0.5})
	}
	b.h = lead + lv.head*0.45
	return b
}

// stack puts boxes under each other with a gap.
func stack(gap float64, bs ...*box) *box {
	out := &box{}
	y := 0.0
	n := 0
	for _, b := range bs {
		if b == nil || b.h <= 0 && len(b.ops) == 0 {
			continue
		}
		if n > 0 {
			y += gap
		}
		out.place(b, 0, y)
		y += b.h
		n++
	}
	out.h = y
	return out
}

// chips lays out tags as rounded labels that wrap; maxRows ≤ 0 is unlimited. When
// rows are cut, the last chip says how many more there are. It returns the box and
// the number of rows needed for all chips.
func (l *lay) chips(tags []string, size, w float64, fill, text rgb, outline bool, maxRows int) (*box, int) {
	if len(tags) == 0 {
		return &box{}, 0
	}
	padX, h, gapX, gapY := size*0.6, size*1.9, size*0.45, size*0.5
	f := l.fs.regular
	type chip struct {
		s    string
		w    float64
		x    float64
		row  int
		more bool
	}
	layout := func(tags []string, more int) []chip {
		var cs []chip
		x, row := 0.0, 0
		items := append([]string{}, tags...)
		if more > 0 {
			items = append(items, "ほか"+strconv.Itoa(more)+"件")
		}
		for i, t := range items {
			t = ellipsize(f, t, size, w-2*padX)
			cw := f.measure(t, size) + 2*padX
			if x > 0 && x+cw > w+0.01 {
				row++
				x = 0
			}
			cs = append(cs, chip{s: t, w: cw, x: x, row: row, more: more > 0 && i == len(items)-1})
			x += cw + gapX
		}
		return cs
	}
	cs := layout(tags, 0)
	fullRows := cs[len(cs)-1].row + 1
	if maxRows > 0 && fullRows > maxRows {
		// drop tags from the end until they and the "ほかN件" chip fit
		for n := len(tags) - 1; n >= 0; n-- {
			cs = layout(tags[:n], len(tags)-n)
			if cs[len(cs)-1].row < maxRows {
				break
			}
		}
	}
	b := &box{}
	for _, c := range cs {
		y := float64(c.row) * (h + gapY)
		fc, tc := fill, text
		if c.more {
			fc, tc = colWhite, colMuted
		}
		if outline || c.more {
			b.add(rectOp{x: c.x, y: y, w: c.w, h: h, fill: colWhite, radius: h / 2})
			oc := tc
			if c.more {
				oc = colRule
			}
			b.add(strokeRectOp{x: c.x, y: y, w: c.w, h: h, color: oc, width: 0.6, radius: h / 2})
		} else {
			b.add(rectOp{x: c.x, y: y, w: c.w, h: h, fill: fc, radius: h / 2})
		}
		b.add(textOp{x: c.x + padX, y: y, lead: h, s: c.s, st: tstyle{size: size, color: tc}})
	}
	rows := cs[len(cs)-1].row + 1
	b.h = float64(rows)*(h+gapY) - gapY
	return b, fullRows
}

// kv is a labelled value in a definition list.
type kv struct {
	label string
	value string
	url   string // makes the value a link
}

// defList sets label/value rows: labels in a narrow column, values wrapping (at
// most 3 lines each).
func (l *lay) defList(items []kv, size, lead, w, labelW float64) *box {
	b := &box{}
	y := 0.0
	for i, it := range items {
		if i > 0 {
			b.add(lineOp{x1: 0, y1: y + 2.5, x2: w, y2: y + 2.5, color: colRuleSoft, width: 0.5})
			y += 5
		}
		lb := tstyle{size: size - 0.5, color: colMuted}
		b.add(textOp{x: 0, y: y, lead: lead, s: ellipsize(l.fs.regular, it.label, lb.size, labelW-4), st: lb})
		vb := &box{}
		vst := tstyle{size: size, color: colText}
		for k, ln := range clampLines(l.fs.regular, it.value, size, w-labelW, 3) {
			vb.add(textOp{y: float64(k) * lead, lead: lead, s: ln, st: vst})
			vb.h += lead
		}
		b.place(vb, labelW, y)
		if it.url != "" {
			b.add(linkOp{x: labelW, y: y, w: w - labelW, h: vb.h, url: it.url})
		}
		y += vb.h
	}
	b.h = y
	return b
}

// section is an element of a column that may be shrunk to fit.
type section struct {
	// build lays the section out at a type level with at most lim units (lines,
	// rows or items; lim ≤ 0: all) and returns how many units all of it needs.
	build func(lv level, lim int) (*box, int)
	min   int // fewest units worth showing; 0 means the section cannot shrink
}

// fitColumn lays out sections in a column of height avail: first at the largest
// type level at which everything fits; if nothing fits at the smallest, the
// largest sections give up units (lines, rows) until it does, never below their
// minimum; as a last resort, trailing sections are left out. It returns the
// column box (never taller than avail) and the level used.
func fitColumn(secs []section, avail float64) (*box, level) {
	for _, lv := range levels {
		var bs []*box
		for _, s := range secs {
			b, _ := s.build(lv, 0)
			bs = append(bs, b)
		}
		col := stack(lv.gap, bs...)
		if col.h <= avail {
			return col, lv
		}
	}
	lv := levels[len(levels)-1]
	lims := make([]int, len(secs))
	boxes := make([]*box, len(secs))
	for i, s := range secs {
		boxes[i], lims[i] = s.build(lv, 0)
	}
	for iter := 0; iter < 200; iter++ {
		col := stack(lv.gap, boxes...)
		over := col.h - avail
		if over <= 0 {
			return col, lv
		}
		// the tallest section that can still shrink
		best, second := -1, 0.0
		for i, s := range secs {
			if s.min <= 0 || lims[i] <= s.min {
				continue
			}
			if best < 0 || boxes[i].h > boxes[best].h {
				if best >= 0 {
					second = boxes[best].h
				}
				best = i
			} else if boxes[i].h > second {
				second = boxes[i].h
			}
		}
		if best < 0 {
			break
		}
		unit := boxes[best].h / float64(lims[best])
		if unit <= 0 {
			unit = lv.lead
		}
		cut := over
		if d := boxes[best].h - second + unit; second > 0 && d < cut {
			cut = d
		}
		n := int(cut/unit + 0.999)
		if n < 1 {
			n = 1
		}
		if lims[best]-n < secs[best].min {
			n = lims[best] - secs[best].min
		}
		lims[best] -= n
		boxes[best], _ = secs[best].build(lv, lims[best])
	}
	// last resort: leave out sections from the end until the rest fits
	for n := len(boxes) - 1; n >= 0; n-- {
		col := stack(lv.gap, boxes[:n]...)
		if col.h <= avail {
			return col, lv
		}
	}
	return &box{}, lv
}
