package report

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/signintech/gopdf"
)

// The typeface ships with the product: BIZ UDGothic (Morisawa), SIL OFL 1.1.
var (
	//go:embed fonts/BIZUDGothic-Regular.ttf
	regularTTF []byte
	//go:embed fonts/BIZUDGothic-Bold.ttf
	boldTTF []byte

	// FontLicense is the licence of the embedded typeface (SIL Open Font License
	// 1.1), to be shown or shipped wherever the fonts or the binary are
	// distributed (e.g. an "about / licences" page).
	//go:embed fonts/OFL.txt
	FontLicense string
)

// FontName is the typeface used in every PDF.
const FontName = "BIZ UDGothic"

// face is one parsed font: metrics for layout, and the family name under which it
// is registered in each PDF. The PDF font names carry a subset tag ("ABCDEF+"),
// as the PDF specification asks of subset fonts: gopdf embeds only the glyphs used.
type face struct {
	family string
	obj    gopdf.SubsetFontObj // for cmap and width look-ups only
	ascent float64             // per 1 pt of size
	desc   float64             // positive, per 1 pt of size

	mu     sync.RWMutex
	widths map[rune]int32 // advance in 1/1000 em; -1 when the font lacks the glyph
}

type fontSet struct {
	regular, bold *face
	container     *gopdf.FontContainer
}

var (
	fontsOnce sync.Once
	fontsVal  *fontSet
	fontsErr  error
)

func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fs := &fontSet{container: &gopdf.FontContainer{}}
		var err error
		if fs.regular, err = newFace("MRKRGA+BIZUDGothic-Regular", regularTTF, fs.container); err != nil {
			fontsErr = err
			return
		}
		if fs.bold, err = newFace("MRKBDA+BIZUDGothic-Bold", boldTTF, fs.container); err != nil {
			fontsErr = err
			return
		}
		fontsVal = fs
	})
	return fontsVal, fontsErr
}

func newFace(family string, data []byte, c *gopdf.FontContainer) (*face, error) {
	f := &face{family: family, widths: make(map[rune]int32, 512)}
	if err := f.obj.SetTTFData(data); err != nil {
		return nil, fmt.Errorf("report: parse font %s: %w", family, err)
	}
	p := f.obj.GetTTFParser()
	upem := float64(p.UnitsPerEm())
	f.ascent = float64(p.Ascender()) / upem
	f.desc = -float64(p.Descender()) / upem
	if err := c.AddTTFFontData(family, data); err != nil {
		return nil, fmt.Errorf("report: register font %s: %w", family, err)
	}
	return f, nil
}

// width is the advance of r in 1/1000 em, or -1 if the font has no glyph for it.
func (f *face) width(r rune) int32 {
	f.mu.RLock()
	w, ok := f.widths[r]
	f.mu.RUnlock()
	if ok {
		return w
	}
	w = -1
	if r >= 0x20 && r != 0x7F && r <= 0x10FFFF {
		if g, err := f.obj.CharCodeToGlyphIndex(r); err == nil && g != 0 {
			w = int32(f.obj.GlyphIndexToPdfWidth(g))
		}
	}
	f.mu.Lock()
	f.widths[r] = w
	f.mu.Unlock()
	return w
}

func (f *face) has(r rune) bool { return f.width(r) >= 0 }

// measure is the width of s at size pt, in points (s must be covered).
func (f *face) measure(s string, size float64) float64 {
	var u int64
	for _, r := range s {
		if w := f.width(r); w > 0 {
			u += int64(w)
		}
	}
	return float64(u) * size / 1000
}
