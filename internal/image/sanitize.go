package image

import (
	"bytes"
	"fmt"
	stdimage "image"
	stddraw "image/draw"
	"image/jpeg"
	"image/png"
	"io"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Formats accepted on input (by content) and produced on output.
const (
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
	FormatWebP = "webp" // input only; re-encoded to JPEG or PNG
)

// Limits bounds what Sanitize accepts and produces. Zero fields take the value in
// DefaultLimits.
type Limits struct {
	MaxBytes  int64 // size of the uploaded file
	MaxWidth  int   // pixels, as declared by the file header
	MaxHeight int
	MaxPixels int64 // width × height, as declared by the file header
	// MaxOutputSide scales the cleaned image down so that neither side exceeds it
	// (aspect ratio kept). Negative means never scale.
	MaxOutputSide int
	JPEGQuality   int // 1–100
}

// DefaultLimits suit logos and product photos from phones and cameras.
var DefaultLimits = Limits{
	MaxBytes:      15 << 20,
	MaxWidth:      10000,
	MaxHeight:     10000,
	MaxPixels:     40_000_000,
	MaxOutputSide: 2000,
	JPEGQuality:   85,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxWidth <= 0 {
		l.MaxWidth = d.MaxWidth
	}
	if l.MaxHeight <= 0 {
		l.MaxHeight = d.MaxHeight
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxOutputSide == 0 {
		l.MaxOutputSide = d.MaxOutputSide
	}
	if l.JPEGQuality <= 0 || l.JPEGQuality > 100 {
		l.JPEGQuality = d.JPEGQuality
	}
	return l
}

// Clean is a sanitized image: freshly encoded, without any metadata, upright.
type Clean struct {
	Bytes  []byte
	Format string // FormatJPEG or FormatPNG
	Width  int
	Height int
	// Source is the format the upload had (FormatJPEG, FormatPNG or FormatWebP).
	Source string
}

// MIMEType is the media type of the clean bytes.
func (c Clean) MIMEType() string {
	if c.Format == FormatPNG {
		return "image/png"
	}
	return "image/jpeg"
}

// Sniff tells the format of an image from its first bytes, or "" when it is none
// of the accepted ones. 12 bytes are enough.
func Sniff(head []byte) string {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return FormatJPEG
	case len(head) >= 8 && bytes.Equal(head[:8], []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return FormatWebP
	}
	return ""
}

// Sanitize reads an uploaded image and returns a clean copy; see the package
// documentation. Every error it returns is an *Error.
func Sanitize(r io.Reader, limits Limits) (Clean, error) {
	l := limits.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, l.MaxBytes+1))
	if err != nil {
		return Clean{}, newError(codeRead, err)
	}
	if len(data) == 0 {
		return Clean{}, newError(codeEmpty, nil)
	}
	if int64(len(data)) > l.MaxBytes {
		return Clean{}, tooLarge(l.MaxBytes)
	}
	format := Sniff(data)
	if format == "" {
		return Clean{}, newError(codeUnsupported, nil)
	}

	// Dimensions from the header, before any pixel is decoded.
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return Clean{}, newError(codeCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Clean{}, newError(codeCorrupt, fmt.Errorf("image declares %d×%d pixels", cfg.Width, cfg.Height))
	}
	if cfg.Width > l.MaxWidth || cfg.Height > l.MaxHeight || int64(cfg.Width)*int64(cfg.Height) > l.MaxPixels {
		return Clean{}, tooManyPixels(cfg.Width, cfg.Height, l)
	}

	src, err := decode(format, data)
	if err != nil {
		return Clean{}, newError(codeCorrupt, err)
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Clean{}, newError(codeCorrupt, fmt.Errorf("decoded %d×%d, header said %d×%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height))
	}

	img := toNRGBA(src)
	src = nil
	if l.MaxOutputSide > 0 {
		img = fit(img, l.MaxOutputSide)
	}
	img = orient(img, exifOrientation(format, data))

	out := Clean{Width: img.Rect.Dx(), Height: img.Rect.Dy(), Source: format}
	var buf bytes.Buffer
	if format == FormatJPEG || (format == FormatWebP && img.Opaque()) {
		out.Format = FormatJPEG
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: l.JPEGQuality})
	} else {
		out.Format = FormatPNG
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&buf, img)
	}
	if err != nil {
		return Clean{}, newError(codeCorrupt, err)
	}
	out.Bytes = buf.Bytes()
	return out, nil
}

func decodeConfig(format string, data []byte) (cfg stdimage.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoder panic: %v", p)
		}
	}()
	rd := bytes.NewReader(data)
	switch format {
	case FormatJPEG:
		return jpeg.DecodeConfig(rd)
	case FormatPNG:
		return png.DecodeConfig(rd)
	default:
		return webp.DecodeConfig(rd)
	}
}

func decode(format string, data []byte) (img stdimage.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	rd := bytes.NewReader(data)
	switch format {
	case FormatJPEG:
		return jpeg.Decode(rd)
	case FormatPNG:
		return png.Decode(rd)
	default:
		return webp.Decode(rd)
	}
}

// toNRGBA copies any decoded image into a fresh NRGBA with origin (0,0).
func toNRGBA(src stdimage.Image) *stdimage.NRGBA {
	b := src.Bounds()
	dst := stdimage.NewNRGBA(stdimage.Rect(0, 0, b.Dx(), b.Dy()))
	stddraw.Draw(dst, dst.Rect, src, b.Min, stddraw.Src)
	return dst
}

// fit scales img down so that neither side exceeds max.
func fit(img *stdimage.NRGBA, max int) *stdimage.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= max && h <= max {
		return img
	}
	nw, nh := max, max
	if w >= h {
		nh = int(int64(h)*int64(max)/int64(w) + 0)
	} else {
		nw = int(int64(w)*int64(max)/int64(h) + 0)
	}
	if nw < 1 {
		nw = 1
	}
	if nh < 1 {
		nh = 1
	}
	dst := stdimage.NewNRGBA(stdimage.Rect(0, 0, nw, nh))
	xdraw.CatmullRom.Scale(dst, dst.Rect, img, img.Rect, xdraw.Src, nil)
	return dst
}

// orient turns an image stored with EXIF orientation o (1–8) upright.
func orient(img *stdimage.NRGBA, o int) *stdimage.NRGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := stdimage.NewNRGBA(stdimage.Rect(0, 0, dw, dh))
	for dy := 0; dy < dh; dy++ {
		for dx := 0; dx < dw; dx++ {
			var sx, sy int
			switch o {
			case 2: // mirrored horizontally
				sx, sy = w-1-dx, dy
			case 3: // rotated 180°
				sx, sy = w-1-dx, h-1-dy
			case 4: // mirrored vertically
				sx, sy = dx, h-1-dy
			case 5: // transposed
				sx, sy = dy, dx
			case 6: // needs 90° clockwise
				sx, sy = dy, h-1-dx
			case 7: // transversed
				sx, sy = w-1-dy, h-1-dx
			case 8: // needs 90° counter-clockwise
				sx, sy = w-1-dy, dx
			}
			si := sy*img.Stride + sx*4
			di := dy*dst.Stride + dx*4
			copy(dst.Pix[di:di+4], img.Pix[si:si+4])
		}
	}
	return dst
}
