package image

import (
	"bytes"
	"encoding/binary"
)

// exifOrientation finds the EXIF Orientation tag (0x0112) of an image in any of the
// accepted formats and returns it (1–8), or 1 when there is none or it is unreadable.
func exifOrientation(format string, data []byte) int {
	var tiff []byte
	switch format {
	case FormatJPEG:
		tiff = jpegExif(data)
	case FormatPNG:
		tiff = pngExif(data)
	case FormatWebP:
		tiff = webpExif(data)
	}
	if tiff == nil {
		return 1
	}
	return tiffOrientation(tiff)
}

var exifHeader = []byte("Exif\x00\x00")

// jpegExif returns the TIFF block of the first APP1 Exif segment.
func jpegExif(d []byte) []byte {
	i := 2
	for i+4 <= len(d) {
		if d[i] != 0xFF {
			return nil
		}
		marker := d[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan / end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(d[i+2 : i+4]))
		if n < 2 || i+2+n > len(d) {
			return nil
		}
		seg := d[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			return seg[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// pngExif returns the content of the eXIf chunk.
func pngExif(d []byte) []byte {
	i := 8
	for i+12 <= len(d) {
		n := int(binary.BigEndian.Uint32(d[i : i+4]))
		typ := string(d[i+4 : i+8])
		if n < 0 || i+12+n > len(d) {
			return nil
		}
		switch typ {
		case "eXIf":
			return d[i+8 : i+8+n]
		case "IDAT", "IEND":
			// eXIf must come before IDAT; later ones are ignored by readers too.
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpExif returns the content of the EXIF chunk of an extended WebP file.
func webpExif(d []byte) []byte {
	i := 12
	for i+8 <= len(d) {
		typ := string(d[i : i+4])
		n := int(binary.LittleEndian.Uint32(d[i+4 : i+8]))
		if n < 0 || i+8+n > len(d) {
			return nil
		}
		if typ == "EXIF" {
			c := d[i+8 : i+8+n]
			return bytes.TrimPrefix(c, exifHeader)
		}
		i += 8 + n + n%2
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 1
	}
	off := int(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[off : off+2]))
	for k := 0; k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:e+2]) != 0x0112 {
			continue
		}
		typ := bo.Uint16(t[e+2 : e+4])
		var v int
		switch typ {
		case 3: // SHORT
			v = int(bo.Uint16(t[e+8 : e+10]))
		case 4: // LONG
			v = int(bo.Uint32(t[e+8 : e+12]))
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}
