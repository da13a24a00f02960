package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	stdimage "image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"
)

// halves makes a w×h picture whose left half is red and right half blue.
func halves(w, h int) *stdimage.NRGBA {
	img := stdimage.NewNRGBA(stdimage.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.NRGBA{20, 20, 220, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img stdimage.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t *testing.T, img stdimage.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffWithOrientation builds a little-endian TIFF block with Orientation=o and an
// Artist tag carrying marker (to prove metadata is stripped).
func tiffWithOrientation(o int, marker string) []byte {
	var b bytes.Buffer
	b.WriteString("II")
	binary.Write(&b, binary.LittleEndian, uint16(42))
	binary.Write(&b, binary.LittleEndian, uint32(8))
	binary.Write(&b, binary.LittleEndian, uint16(2)) // entries
	// Orientation SHORT
	binary.Write(&b, binary.LittleEndian, uint16(0x0112))
	binary.Write(&b, binary.LittleEndian, uint16(3))
	binary.Write(&b, binary.LittleEndian, uint32(1))
	binary.Write(&b, binary.LittleEndian, uint16(o))
	binary.Write(&b, binary.LittleEndian, uint16(0))
	// Artist ASCII, stored after the IFD
	binary.Write(&b, binary.LittleEndian, uint16(0x013B))
	binary.Write(&b, binary.LittleEndian, uint16(2))
	binary.Write(&b, binary.LittleEndian, uint32(len(marker)+1))
	binary.Write(&b, binary.LittleEndian, uint32(8+2+24+4))
	binary.Write(&b, binary.LittleEndian, uint32(0)) // next IFD
	b.WriteString(marker)
	b.WriteByte(0)
	return b.Bytes()
}

func jpegWithExif(t *testing.T, img stdimage.Image, o int, marker string) []byte {
	j := encodeJPEG(t, img)
	app1 := append([]byte("Exif\x00\x00"), tiffWithOrientation(o, marker)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(app1)+2))
	seg = append(seg, app1...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	// a comment segment too
	com := []byte("COMMENT-" + marker)
	out = append(out, 0xFF, 0xFE, byte((len(com)+2)>>8), byte(len(com)+2))
	out = append(out, com...)
	return append(out, j[2:]...)
}

func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// pngWithExtras inserts an eXIf and a tEXt chunk right after IHDR.
func pngWithExtras(t *testing.T, img stdimage.Image, o int, marker string) []byte {
	p := encodePNG(t, img)
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", tiffWithOrientation(o, marker))...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+marker))...)
	return append(out, p[ihdrEnd:]...)
}

func decodeClean(t *testing.T, c Clean) stdimage.Image {
	t.Helper()
	img, format, err := stdimage.Decode(bytes.NewReader(c.Bytes))
	if err != nil {
		t.Fatalf("clean output does not decode: %v", err)
	}
	if format != c.Format {
		t.Fatalf("clean bytes are %s, Clean.Format says %s", format, c.Format)
	}
	if b := img.Bounds(); b.Dx() != c.Width || b.Dy() != c.Height {
		t.Fatalf("clean image is %v, Clean says %d×%d", b, c.Width, c.Height)
	}
	return img
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0x9000 && g < 0x6000 && b < 0x6000
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 0x9000 && g < 0x6000 && r < 0x6000
}

func assertNoMetadata(t *testing.T, c Clean, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if bytes.Contains(c.Bytes, []byte(m)) {
			t.Errorf("clean image still contains %q", m)
		}
	}
	for _, m := range []string{"Exif", "eXIf", "tEXt", "iTXt", "zTXt", "XMP", "http://ns.adobe.com"} {
		if bytes.Contains(c.Bytes, []byte(m)) {
			t.Errorf("clean image contains a %s block", m)
		}
	}
}

func TestSanitizeJPEGOrientationsAndStripping(t *testing.T) {
	src := halves(40, 20) // red left, blue right
	// where the red half must end up after applying each orientation
	for o := 1; o <= 8; o++ {
		c, err := Sanitize(bytes.NewReader(jpegWithExif(t, src, o, "SECRET-GPS-35.67N")), DefaultLimits)
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if c.Format != FormatJPEG || c.Source != FormatJPEG {
			t.Fatalf("orientation %d: format %s from %s", o, c.Format, c.Source)
		}
		img := decodeClean(t, c)
		wantW, wantH := 40, 20
		if o >= 5 {
			wantW, wantH = 20, 40
		}
		if c.Width != wantW || c.Height != wantH {
			t.Fatalf("orientation %d: got %d×%d, want %d×%d", o, c.Width, c.Height, wantW, wantH)
		}
		// sample the centre of the two halves of the upright picture
		var a, b color.Color
		if o < 5 {
			a, b = img.At(10, 10), img.At(30, 10) // left, right
		} else {
			a, b = img.At(10, 10), img.At(10, 30) // top, bottom
		}
		// red is where the original "left" went: left for 1,3?,…
		redFirst := map[int]bool{1: true, 2: false, 3: false, 4: true, 5: true, 6: true, 7: false, 8: false}[o]
		if redFirst && !(isRed(a) && isBlue(b)) || !redFirst && !(isBlue(a) && isRed(b)) {
			t.Errorf("orientation %d: halves in the wrong place (first %v, second %v)", o, a, b)
		}
		assertNoMetadata(t, c, "SECRET-GPS", "COMMENT-")
	}
}

func TestSanitizeRealExiftoolJPEG(t *testing.T) {
	// made with exiftool: Orientation=6 (rotate 90 CW), GPS position, Artist
	data, err := os.ReadFile("testdata/orient6-gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Sanitize(bytes.NewReader(data), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeClean(t, c)
	if c.Width != 16 || c.Height != 32 {
		t.Fatalf("got %d×%d, want 16×32 (rotated)", c.Width, c.Height)
	}
	if !isRed(img.At(8, 6)) || !isBlue(img.At(8, 26)) {
		t.Errorf("rotation wrong: top %v bottom %v", img.At(8, 6), img.At(8, 26))
	}
	assertNoMetadata(t, c, "SECRET-ARTIST", "GPS")
}

func TestSanitizePNG(t *testing.T) {
	// opaque PNG with eXIf orientation 3 and a tEXt chunk: stays PNG, rotated, clean
	c, err := Sanitize(bytes.NewReader(pngWithExtras(t, halves(40, 20), 3, "SECRET-PNG")), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if c.Format != FormatPNG {
		t.Fatalf("PNG became %s", c.Format)
	}
	img := decodeClean(t, c)
	if !isBlue(img.At(5, 10)) || !isRed(img.At(35, 10)) {
		t.Errorf("orientation 3 not applied")
	}
	assertNoMetadata(t, c, "SECRET-PNG")

	// transparency survives
	tr := halves(20, 20)
	tr.SetNRGBA(0, 0, color.NRGBA{})
	c, err = Sanitize(bytes.NewReader(encodePNG(t, tr)), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	img = decodeClean(t, c)
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("transparent pixel became alpha %d", a)
	}
}

func TestSanitizeWebP(t *testing.T) {
	data, err := os.ReadFile("testdata/lossy-orient6-gps.webp")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Sanitize(bytes.NewReader(data), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != FormatWebP || c.Format != FormatJPEG {
		t.Fatalf("lossy opaque WebP: %s → %s, want webp → jpeg", c.Source, c.Format)
	}
	img := decodeClean(t, c)
	if c.Width != 16 || c.Height != 32 || !isRed(img.At(8, 6)) || !isBlue(img.At(8, 26)) {
		t.Errorf("WebP EXIF orientation not applied: %d×%d", c.Width, c.Height)
	}
	assertNoMetadata(t, c, "SECRET-ARTIST", "GPS")

	data, err = os.ReadFile("testdata/lossless-alpha.webp")
	if err != nil {
		t.Fatal(err)
	}
	c, err = Sanitize(bytes.NewReader(data), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if c.Format != FormatPNG {
		t.Fatalf("WebP with alpha became %s, want png", c.Format)
	}
	img = decodeClean(t, c)
	if _, _, _, a := img.At(2, 2).RGBA(); a != 0 {
		t.Errorf("alpha lost: %d", a)
	}
}

func TestSanitizeDownscales(t *testing.T) {
	c, err := Sanitize(bytes.NewReader(encodeJPEG(t, halves(300, 120))), Limits{MaxOutputSide: 100})
	if err != nil {
		t.Fatal(err)
	}
	if c.Width != 100 || c.Height != 40 {
		t.Fatalf("got %d×%d, want 100×40", c.Width, c.Height)
	}
	c, err = Sanitize(bytes.NewReader(encodeJPEG(t, halves(300, 120))), Limits{MaxOutputSide: -1})
	if err != nil || c.Width != 300 {
		t.Fatalf("MaxOutputSide -1 must keep the size: %d, %v", c.Width, err)
	}
}

// withIHDRSize rewrites the dimensions a PNG declares (and the chunk CRC).
func withIHDRSize(p []byte, w, h uint32) []byte {
	p = append([]byte{}, p...)
	binary.BigEndian.PutUint32(p[16:20], w)
	binary.BigEndian.PutUint32(p[20:24], h)
	binary.BigEndian.PutUint32(p[29:33], crc32.ChecksumIEEE(p[12:29]))
	return p
}

// withSOFSize rewrites the dimensions a baseline JPEG declares.
func withSOFSize(j []byte, w, h uint16) []byte {
	j = append([]byte{}, j...)
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(j[i+5:], h)
	binary.BigEndian.PutUint16(j[i+7:], w)
	return j
}

func TestSanitizeRefusesBombsFromHeader(t *testing.T) {
	cases := map[string][]byte{
		"png 100000x100000": withIHDRSize(encodePNG(t, halves(4, 4)), 100000, 100000),
		"png 9000x9000":     withIHDRSize(encodePNG(t, halves(4, 4)), 9000, 9000), // 81 Mpx > 40 Mpx
		"jpeg 65000x65000":  withSOFSize(encodeJPEG(t, halves(16, 16)), 65000, 65000),
	}
	for name, data := range cases {
		start := time.Now()
		_, err := Sanitize(bytes.NewReader(data), DefaultLimits)
		if !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s: got %v, want ErrTooManyPixels", name, err)
			continue
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v: it must be refused before decoding", name, d)
		}
		var ie *Error
		if !errors.As(err, &ie) || !strings.Contains(ie.JA, "画素数") || ie.EN == "" {
			t.Errorf("%s: error lacks JA/EN text: %#v", name, err)
		}
	}
	// limits are configurable
	_, err := Sanitize(bytes.NewReader(encodePNG(t, halves(50, 10))), Limits{MaxWidth: 40})
	if !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("width limit: %v", err)
	}
}

func TestSanitizeRefusals(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, halves(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	j := encodeJPEG(t, halves(64, 64))
	cases := []struct {
		name string
		data []byte
		want error
		lim  Limits
	}{
		{"empty", nil, ErrEmpty, DefaultLimits},
		{"gif", g.Bytes(), ErrUnsupported, DefaultLimits},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ErrUnsupported, DefaultLimits},
		{"html named .jpg", []byte("<html>not a jpeg</html>"), ErrUnsupported, DefaultLimits},
		{"truncated jpeg", j[:len(j)/2], ErrCorrupt, DefaultLimits},
		{"jpeg header only", j[:20], ErrCorrupt, DefaultLimits},
		{"garbage after png magic", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0xAB}, 100)...), ErrCorrupt, DefaultLimits},
		{"riff not webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00\x00\x00"), ErrCorrupt, DefaultLimits},
		{"too many bytes", j, ErrTooLarge, Limits{MaxBytes: 100}},
	}
	for _, c := range cases {
		_, err := Sanitize(bytes.NewReader(c.data), c.lim)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want.(*Error).Code)
			continue
		}
		var ie *Error
		if !errors.As(err, &ie) || ie.JA == "" || ie.EN == "" || ie.Error() == "" {
			t.Errorf("%s: error without JA/EN text: %#v", c.name, err)
		}
	}
}

func TestSniff(t *testing.T) {
	if Sniff([]byte{0xFF, 0xD8, 0xFF, 0xE0}) != FormatJPEG || Sniff([]byte("\x89PNG\r\n\x1a\n....")) != FormatPNG ||
		Sniff([]byte("RIFF\x00\x00\x00\x00WEBP")) != FormatWebP || Sniff([]byte("GIF89a")) != "" || Sniff(nil) != "" {
		t.Error("Sniff misclassifies")
	}
	if (Clean{Format: FormatPNG}).MIMEType() != "image/png" || (Clean{Format: FormatJPEG}).MIMEType() != "image/jpeg" {
		t.Error("MIMEType")
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0})
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8X"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Sanitize(bytes.NewReader(data), Limits{MaxPixels: 1 << 20})
		if err == nil && (len(c.Bytes) == 0 || c.Width <= 0) {
			t.Fatal("success without an image")
		}
		var ie *Error
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error is not *Error: %v", err)
		}
	})
}
