// Package image checks and cleans images that members upload (company logos,
// product photos) before they are stored or printed.
//
// Sanitize accepts JPEG, PNG and WebP only, recognised by their content (magic
// bytes), never by file name or declared MIME type. It refuses files over a byte
// limit, reads the pixel dimensions from the header and refuses oversize images
// before any pixel is decoded (decompression-bomb safe), decodes with panics
// contained, applies the EXIF orientation, optionally scales the picture down, and
// re-encodes it from pixels to a clean JPEG (photographs) or PNG (images with
// transparency, and PNG sources such as logos). Re-encoding drops every byte of
// metadata: EXIF (GPS position, camera serial, date), XMP, IPTC, ICC profiles,
// comments and PNG text chunks.
//
//	clean, err := image.Sanitize(r, image.DefaultLimits)
//	var ie *image.Error
//	if errors.As(err, &ie) {
//		// show ie.JA next to the upload field (ie.EN for English pages)
//	}
//	store(clean.Bytes, clean.Format) // "jpeg" or "png"
//
// Errors are *Error values carrying a stable Code and a message in Japanese and
// English; errors.Is(err, image.ErrTooLarge) etc. compare codes.
package image
