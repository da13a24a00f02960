package report

import "github.com/boombuler/barcode/qr"

// qrCode is a QR symbol as a grid of dark modules, drawn as vector rectangles
// (sharp at any zoom and in print, a few hundred bytes).
type qrCode struct {
	n    int
	dark [][]bool
}

func newQR(content string) (*qrCode, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	b := code.Bounds()
	q := &qrCode{n: b.Dx()}
	for y := 0; y < b.Dy(); y++ {
		row := make([]bool, b.Dx())
		for x := 0; x < b.Dx(); x++ {
			r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
			row[x] = r < 0x8000
		}
		q.dark = append(q.dark, row)
	}
	return q, nil
}

// box draws the symbol in a white square of the given size, with a quiet zone
// of two modules.
func (q *qrCode) box(size float64) *box {
	b := &box{h: size}
	b.add(rectOp{x: 0, y: 0, w: size, h: size, fill: colWhite})
	m := size / float64(q.n+4)
	for y, row := range q.dark {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			// overlap a hair so that no seams show between modules
			b.add(rectOp{x: (float64(start) + 2) * m, y: (float64(y) + 2) * m, w: float64(x-start)*m + 0.05, h: m + 0.05, fill: colText})
		}
	}
	return b
}
