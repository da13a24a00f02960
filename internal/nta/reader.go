package nta

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// OpenFile opens a bulk file: a .csv, or a .zip holding one (as the NTA
// publishes them). The returned reader yields the CSV bytes.
func OpenFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	if n < 4 || !bytes.Equal(head, []byte("PK\x03\x04")) {
		return f, nil
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	for _, zf := range zr.File {
		if strings.EqualFold(filepath.Ext(zf.Name), ".csv") {
			rc, err := zf.Open()
			if err != nil {
				f.Close()
				return nil, err
			}
			return struct {
				io.Reader
				io.Closer
			}{rc, closers{rc, f}}, nil
		}
	}
	f.Close()
	return nil, errors.New("the zip file holds no .csv file")
}

type closers []io.Closer

func (c closers) Close() error {
	var errs []error
	for _, x := range c {
		errs = append(errs, x.Close())
	}
	return errors.Join(errs...)
}

// Reader reads records from a bulk file's CSV bytes. The Unicode edition is
// UTF-8; the older Shift_JIS edition is recognised by its bytes and decoded.
type Reader struct {
	csv      *csv.Reader
	ShiftJIS bool // the input was the Shift_JIS edition
}

// NewReader prepares to read CSV bytes of either edition.
func NewReader(r io.Reader) *Reader {
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	var src io.Reader = br
	sjis := !looksUTF8(head)
	if sjis {
		src = transform.NewReader(br, japanese.ShiftJIS.NewDecoder())
	}
	c := csv.NewReader(src)
	c.FieldsPerRecord = -1 // checked per row, so a bad row is reported, not fatal
	c.ReuseRecord = true
	c.LazyQuotes = true
	return &Reader{csv: c, ShiftJIS: sjis}
}

// looksUTF8 reports whether b is UTF-8, allowing a character cut off at its end.
func looksUTF8(b []byte) bool {
	for k := 0; k <= 3 && k <= len(b); k++ {
		if utf8.Valid(b[:len(b)-k]) {
			return true
		}
	}
	return false
}

// Next returns the next row: a record, or a row error with its line number.
// It returns io.EOF at the end.
func (r *Reader) Next() (Record, *RowError, error) {
	f, err := r.csv.Read()
	if err == io.EOF {
		return Record{}, nil, io.EOF
	}
	line, _ := r.csv.FieldPos(0)
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Record{}, &RowError{Line: pe.StartLine, JA: "CSVの形式が正しくありません: " + pe.Err.Error(), EN: "malformed CSV: " + pe.Err.Error()}, nil
		}
		return Record{}, nil, err
	}
	rec, rerr := ParseRecord(f)
	if rerr != nil {
		rerr.Line = line
		return Record{}, rerr, nil
	}
	return rec, nil, nil
}
