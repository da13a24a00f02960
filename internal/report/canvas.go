package report

import (
	"bytes"
	stdimage "image"
	_ "image/jpeg" // DecodeConfig of report images
	_ "image/png"

	"github.com/signintech/gopdf"
)

// A4 portrait, in points.
const (
	pageW = 595.28
	pageH = 841.89
)

type rgb struct{ r, g, b uint8 }

// Colours after the Japanese government design system (デジタル庁デザインシステム):
// blue 900 as the accent, solid greys for text and rules.
var (
	colBlue     = rgb{0x00, 0x17, 0xC1} // blue-900
	colBlueDark = rgb{0x00, 0x11, 0x8F} // blue-1000
	colBlue50   = rgb{0xE8, 0xF1, 0xFE}
	colBlue100  = rgb{0xD9, 0xE6, 0xFF}
	colText     = rgb{0x1A, 0x1A, 0x1A} // solid-gray-900
	colText2    = rgb{0x4D, 0x4D, 0x4D} // solid-gray-700
	colMuted    = rgb{0x66, 0x66, 0x66} // solid-gray-600
	colRule     = rgb{0xCC, 0xCC, 0xCC} // solid-gray-200
	colRuleSoft = rgb{0xE6, 0xE6, 0xE6} // solid-gray-100
	colPanel    = rgb{0xF2, 0xF2, 0xF2} // solid-gray-50
	colPanel2   = rgb{0xF8, 0xF8, 0xFB}
	colWhite    = rgb{0xFF, 0xFF, 0xFF}
)

type tstyle struct {
	size  float64
	bold  bool
	color rgb
}

// op is one drawing operation, positioned relative to the box that holds it.
type op interface {
	draw(d *pdfDoc, dx, dy float64) error
}

// box is laid-out content of a known height, drawn later at any position.
type box struct {
	h   float64
	ops []op
}

func (b *box) add(o op) { b.ops = append(b.ops, o) }

// draw draws the box with its top-left corner at (dx, dy).
func (b *box) draw(d *pdfDoc, dx, dy float64) error {
	return placed{b, 0, 0}.draw(d, dx, dy)
}

// place appends another box's operations at offset (x, y).
func (b *box) place(o *box, x, y float64) {
	b.ops = append(b.ops, placed{o, x, y})
}

type placed struct {
	b    *box
	x, y float64
}

func (p placed) draw(d *pdfDoc, dx, dy float64) error {
	for _, o := range p.b.ops {
		if err := o.draw(d, dx+p.x, dy+p.y); err != nil {
			return err
		}
	}
	return nil
}

// textOp draws one line; y is the top of its line box of height lead.
type textOp struct {
	x, y, lead float64
	s          string
	st         tstyle
	spacing    float64
}

func (t textOp) draw(d *pdfDoc, dx, dy float64) error {
	if t.s == "" {
		return nil
	}
	f := d.fs.regular
	if t.st.bold {
		f = d.fs.bold
	}
	base := dy + t.y + (t.lead-(f.ascent+f.desc)*t.st.size)/2 + f.ascent*t.st.size
	return d.text(dx+t.x, base, t.s, t.st, t.spacing)
}

type rectOp struct {
	x, y, w, h float64
	fill       rgb
	radius     float64
}

func (r rectOp) draw(d *pdfDoc, dx, dy float64) error {
	d.gp.SetFillColor(r.fill.r, r.fill.g, r.fill.b)
	if r.radius > 0 {
		return d.gp.Rectangle(dx+r.x, dy+r.y, dx+r.x+r.w, dy+r.y+r.h, "F", r.radius, 6)
	}
	d.gp.RectFromUpperLeftWithStyle(dx+r.x, dy+r.y, r.w, r.h, "F")
	return nil
}

type strokeRectOp struct {
	x, y, w, h float64
	color      rgb
	width      float64
	radius     float64
}

func (r strokeRectOp) draw(d *pdfDoc, dx, dy float64) error {
	d.gp.SetStrokeColor(r.color.r, r.color.g, r.color.b)
	d.gp.SetLineWidth(r.width)
	if r.radius > 0 {
		return d.gp.Rectangle(dx+r.x, dy+r.y, dx+r.x+r.w, dy+r.y+r.h, "D", r.radius, 6)
	}
	d.gp.RectFromUpperLeftWithStyle(dx+r.x, dy+r.y, r.w, r.h, "D")
	return nil
}

type lineOp struct {
	x1, y1, x2, y2 float64
	color          rgb
	width          float64
}

func (l lineOp) draw(d *pdfDoc, dx, dy float64) error {
	d.gp.SetStrokeColor(l.color.r, l.color.g, l.color.b)
	d.gp.SetLineWidth(l.width)
	d.gp.Line(dx+l.x1, dy+l.y1, dx+l.x2, dy+l.y2)
	return nil
}

// imageOp draws a picture into the frame x, y, w, h. With cover, the picture
// (of pixel size pw×ph) fills the frame and is cropped to it, centred;
// otherwise it is stretched to the frame (callers keep the aspect ratio).
type imageOp struct {
	data       []byte
	x, y, w, h float64
	cover      bool
	pw, ph     int
}

func (im imageOp) draw(d *pdfDoc, dx, dy float64) error {
	h, err := gopdf.ImageHolderByBytes(im.data)
	if err != nil {
		return nil // checked at layout; never fail a report for a picture
	}
	opt := gopdf.ImageOptions{X: dx + im.x, Y: dy + im.y, Rect: &gopdf.Rect{W: im.w, H: im.h}}
	if im.cover && im.pw > 0 && im.ph > 0 {
		s := im.w / float64(im.pw)
		if float64(im.ph)*s < im.h {
			s = im.h / float64(im.ph)
		}
		iw, ih := float64(im.pw)*s, float64(im.ph)*s
		opt.Rect = &gopdf.Rect{W: iw, H: ih}
		opt.Crop = &gopdf.CropOptions{X: (iw - im.w) / 2, Y: (ih - im.h) / 2, Width: im.w, Height: im.h}
	}
	_ = d.gp.ImageByHolderWithOptions(h, opt) // a picture never fails a report
	return nil
}

type linkOp struct {
	x, y, w, h float64
	url        string // external
	anchor     string // internal
}

func (l linkOp) draw(d *pdfDoc, dx, dy float64) error {
	if l.url != "" {
		d.gp.AddExternalLink(l.url, dx+l.x, dy+l.y, l.w, l.h)
	} else if l.anchor != "" {
		d.gp.AddInternalLink(l.anchor, dx+l.x, dy+l.y, l.w, l.h)
	}
	return nil
}

type anchorOp struct{ name string }

func (a anchorOp) draw(d *pdfDoc, dx, dy float64) error {
	d.gp.SetXY(dx, dy)
	d.gp.SetAnchor(a.name)
	return nil
}

// pdfDoc wraps one gopdf document and the current text state.
type pdfDoc struct {
	gp      *gopdf.GoPdf
	fs      *fontSet
	family  string
	size    float64
	spacing float64
}

func newPDFDoc(fs *fontSet) (*pdfDoc, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	gp.SetCompressLevel(1) // BestSpeed: level 6 took half the time for ~10% smaller files
	for _, f := range []*face{fs.regular, fs.bold} {
		if err := gp.AddTTFFontFromFontContainer(f.family, fs.container); err != nil {
			return nil, err
		}
	}
	return &pdfDoc{gp: gp, fs: fs, size: -1}, nil
}

func (d *pdfDoc) text(x, baseline float64, s string, st tstyle, spacing float64) error {
	fam := d.fs.regular.family
	if st.bold {
		fam = d.fs.bold.family
	}
	if fam != d.family || st.size != d.size {
		if err := d.gp.SetFont(fam, "", st.size); err != nil {
			return err
		}
		d.family, d.size = fam, st.size
	}
	if spacing != d.spacing {
		if err := d.gp.SetCharSpacing(spacing); err != nil {
			return err
		}
		d.spacing = spacing
	}
	d.gp.SetTextColor(st.color.r, st.color.g, st.color.b)
	d.gp.SetXY(x, baseline)
	return d.gp.Text(s)
}

// imageSize reads the pixel size of a JPEG or PNG; ok is false for anything else.
func imageSize(data []byte) (w, h int, ok bool) {
	if len(data) == 0 {
		return 0, 0, false
	}
	cfg, format, err := stdimage.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") || cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}
