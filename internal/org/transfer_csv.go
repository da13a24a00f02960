package org

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"mieruka/internal/errs"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

const utf8BOM = "\ufeff"

// csvSink writes CSV for Excel: UTF-8 with a BOM (without it Excel reads
// Shift_JIS), CRLF line ends, RFC 4180 quoting, formula injection guarded.
type csvSink struct {
	bw   *bufio.Writer
	cw   *csv.Writer
	cols []*column
	rec  []string
}

func newCSVSink(w io.Writer, cols []*column) (*csvSink, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.ja
	}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &csvSink{bw: bw, cw: cw, cols: cols, rec: make([]string, len(cols))}, nil
}

func (c *csvSink) write(o *Organization) error {
	for i, col := range c.cols {
		c.rec[i] = cellString(col.get(o))
	}
	return c.cw.Write(c.rec)
}

func (c *csvSink) finish() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

func (c *csvSink) abort() {}

// csvSource reads a CSV file: UTF-8 with or without a BOM, or Shift_JIS
// (what Excel's plain "CSV (コンマ区切り)" saves in Japan), told apart by
// whether the whole file is valid UTF-8.
type csvSource struct {
	rs       io.ReadSeeker
	cleanup  func()
	shiftJIS bool
}

func newCSVSource(rs io.ReadSeeker, cleanup func()) (*csvSource, error) {
	head := make([]byte, 4)
	n, err := io.ReadFull(rs, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, errs.Wrap(err, "read import")
	}
	head = head[:n]
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return nil, errs.New(errs.BadRequest,
			"UTF-16のファイルは読み込めません。Excelでは「CSV UTF-8（コンマ区切り）」で保存してください",
			"UTF-16 files cannot be read; in Excel, save as \"CSV UTF-8 (Comma delimited)\"")
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return nil, errs.New(errs.BadRequest,
			"このファイルはCSVではなくExcelブック（.xlsx）のようです。.xlsx として取り込んでください",
			"This file looks like an Excel workbook, not CSV; import it as .xlsx")
	}
	if err := rewind(rs); err != nil {
		return nil, errs.Wrap(err, "read import")
	}
	valid, err := validUTF8(rs)
	if err != nil {
		return nil, errs.Wrap(err, "read import")
	}
	return &csvSource{rs: rs, cleanup: cleanup, shiftJIS: !valid}, nil
}

// validUTF8 reports whether everything r yields is UTF-8.
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 256<<10)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		end := n
		if err == nil {
			// More to come: a character cut at the end waits for the next round.
			for i := 1; i <= utf8.UTFMax && i <= n; i++ {
				if utf8.RuneStart(buf[n-i]) {
					if !utf8.FullRune(buf[n-i : n]) {
						end = n - i
					}
					break
				}
			}
		}
		if !utf8.Valid(buf[:end]) {
			return false, nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		carry = copy(buf, buf[end:n])
	}
}

func (c *csvSource) warnings() []ImportWarning {
	if c.shiftJIS {
		return []ImportWarning{{JA: "文字コードをShift_JISとして読み込みました", EN: "Read the file as Shift_JIS"}}
	}
	return nil
}

func (c *csvSource) open() (rowReader, error) {
	if err := rewind(c.rs); err != nil {
		return nil, errs.Wrap(err, "read import")
	}
	br := bufio.NewReaderSize(c.rs, 64<<10)
	if bom, _ := br.Peek(3); string(bom) == utf8BOM {
		br.Discard(3)
	}
	var src io.Reader = br
	if c.shiftJIS {
		src = transform.NewReader(br, japanese.ShiftJIS.NewDecoder())
	}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1 // checked against the header per row, so a bad row is reported, not fatal
	return &csvRows{cr: cr}, nil
}

func (c *csvSource) close() { c.cleanup() }

type csvRows struct{ cr *csv.Reader }

func (c *csvRows) next() (rawRow, error) {
	for {
		rec, err := c.cr.Read()
		if err == io.EOF {
			return rawRow{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rawRow{line: pe.StartLine, bad: &ImportRowError{Line: pe.StartLine,
					JA: "CSVの形式が正しくありません（" + csvErrorJA(pe.Err) + "）", EN: "Malformed CSV: " + pe.Err.Error()}}, nil
			}
			return rawRow{}, errs.Wrap(err, "read import")
		}
		if blank(rec) {
			continue
		}
		// The line the row starts on, counting the lines inside quoted cells.
		line, _ := c.cr.FieldPos(0)
		return rawRow{line: line, cells: rec}, nil
	}
}

func (c *csvRows) close() {}

func csvErrorJA(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "引用符（\"）の閉じ忘れか、引用符で囲んだ値の後に余分な文字があります"
	case errors.Is(err, csv.ErrBareQuote):
		return "引用符で囲んでいない値の中に引用符（\"）があります。値全体を\"で囲み、中の\"は\"\"と2つ重ねてください"
	}
	return err.Error()
}

// blank reports whether a row has no values: Excel leaves such rows at the
// end of sheets.
func blank(cells []string) bool {
	for _, c := range cells {
		for _, r := range c {
			if r != ' ' && r != '\t' && r != '\u3000' {
				return false
			}
		}
	}
	return true
}
