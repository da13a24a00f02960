package org

import (
	"errors"
	"fmt"
	"io"

	"mieruka/internal/errs"

	"github.com/xuri/excelize/v2"
)

const xlsxSheet = "組織一覧"

// xlsxSink writes a workbook with excelize's streaming writer, which keeps
// rows in a temporary file rather than memory: 10,000 organizations cost no
// more memory than 10. The header row is bold and frozen, with a filter;
// numbers are numbers, the update time a real date (excelize writes the
// wall clock of the time's zone: Japan time), and text always text —
// a name starting with "=" is written as a string, never as a formula.
type xlsxSink struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []*column
	styles map[cellKind]int
	row    int
	vals   []any
}

func newXLSXSink(w io.Writer, cols []*column) (_ *xlsxSink, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return nil, err
	}
	f.SetDocProps(&excelize.DocProperties{Title: "組織一覧", Creator: "mieruka", Language: "ja-JP"})
	sw, err := f.NewStreamWriter(xlsxSheet)
	if err != nil {
		return nil, err
	}
	x := &xlsxSink{w: w, f: f, sw: sw, cols: cols, styles: map[cellKind]int{}, row: 1, vals: make([]any, len(cols))}
	top := &excelize.Alignment{Vertical: "top"}
	for kind, st := range map[cellKind]*excelize.Style{
		cellText: {Alignment: top},
		cellLong: {Alignment: top},
		cellList: {Alignment: top},
		cellCode: {Alignment: top, NumFmt: 49}, // "@": what people type here stays text (法人番号, 郵便番号 …)
		cellInt:  {Alignment: top, NumFmt: 1},  // 0
		cellYen:  {Alignment: top, NumFmt: 3},  // #,##0
		cellTime: {Alignment: top, CustomNumFmt: ptr("yyyy/mm/dd hh:mm")},
	} {
		if x.styles[kind], err = f.NewStyle(st); err != nil {
			return nil, err
		}
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return nil, err
	}
	// Each call puts its column first in the worksheet's <col> list; going
	// from the last column to the first leaves them in ascending order, as
	// Excel wants them.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return nil, err
		}
		if err := sw.SetColStyle(i+1, i+1, x.styles[cols[i].kind]); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	for i, c := range cols {
		x.vals[i] = excelize.Cell{StyleID: header, Value: c.ja}
	}
	if err := sw.SetRow("A1", x.vals, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	return x, nil
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxSink) write(o *Organization) error {
	x.row++
	for i, c := range x.cols {
		v := c.get(o)
		if s, ok := v.(string); ok && s == "" {
			v = nil
		}
		if v == nil {
			x.vals[i] = nil
			continue
		}
		x.vals[i] = excelize.Cell{StyleID: x.styles[c.kind], Value: v}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.vals)
}

func (x *xlsxSink) finish() error {
	defer x.f.Close()
	// The filter goes into the worksheet the stream writer shares, which
	// Flush writes out after the rows.
	last, err := excelize.CoordinatesToCellName(len(x.cols), max(x.row, 2))
	if err != nil {
		return err
	}
	if err := x.f.AutoFilter(xlsxSheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err = x.f.WriteTo(x.w)
	return err
}

func (x *xlsxSink) abort() { x.f.Close() }

// xlsxSource reads the first sheet of a workbook.
type xlsxSource struct {
	f       *excelize.File
	sheet   string
	cleanup func()
}

func newXLSXSource(rs io.ReadSeeker, cleanup func()) (*xlsxSource, error) {
	if err := rewind(rs); err != nil {
		return nil, errs.Wrap(err, "read import")
	}
	f, err := excelize.OpenReader(rs, excelize.Options{UnzipSizeLimit: 4 * MaxImportBytes})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			// An OLE container: encrypted, or the old binary .xls.
			return nil, errs.New(errs.BadRequest,
				"パスワード付きのファイルか、古いExcel形式（.xls）のため読み込めません。パスワードを外し、「Excel ブック（*.xlsx）」として保存してください",
				"The workbook is password-protected or in the old .xls format; remove the password and save it as an Excel workbook (.xlsx)")
		}
		return nil, errs.New(errs.BadRequest, "Excelファイル（.xlsx）として開けません（"+err.Error()+"）", "Cannot open the file as an Excel workbook (.xlsx): "+err.Error())
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errs.New(errs.BadRequest, "Excelファイルにシートがありません", "The workbook has no sheet")
	}
	return &xlsxSource{f: f, sheet: sheets[0], cleanup: cleanup}, nil
}

func (x *xlsxSource) warnings() []ImportWarning {
	if n := len(x.f.GetSheetList()); n > 1 {
		return []ImportWarning{{
			JA: fmt.Sprintf("最初のシート「%s」だけを読み込みました（シートは全部で%d枚）", x.sheet, n),
			EN: fmt.Sprintf("Read only the first sheet, %q (of %d)", x.sheet, n)}}
	}
	return nil
}

func (x *xlsxSource) open() (rowReader, error) {
	rows, err := x.f.Rows(x.sheet)
	if err != nil {
		return nil, errs.New(errs.BadRequest, "Excelファイルのシートを読めません: "+err.Error(), "Cannot read the workbook's sheet: "+err.Error())
	}
	return &xlsxRows{rows: rows}, nil
}

func (x *xlsxSource) close() {
	x.f.Close()
	x.cleanup()
}

type xlsxRows struct {
	rows *excelize.Rows
	line int
}

func (x *xlsxRows) next() (rawRow, error) {
	for x.rows.Next() {
		x.line++ // Next steps over missing rows one by one: line is the row number
		// Raw values: a number is read as stored (7123456789012), not as
		// Excel would display it (7.12346E+12).
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return rawRow{}, errs.New(errs.BadRequest, fmt.Sprintf("Excelファイルの%d行目を読めません: %v", x.line, err), fmt.Sprintf("Cannot read row %d of the workbook: %v", x.line, err))
		}
		if blank(cells) {
			continue
		}
		return rawRow{line: x.line, cells: cells}, nil
	}
	if err := x.rows.Error(); err != nil {
		return rawRow{}, errs.New(errs.BadRequest, "Excelファイルを読めません: "+err.Error(), "Cannot read the workbook: "+err.Error())
	}
	return rawRow{}, io.EOF
}

func (x *xlsxRows) close() { x.rows.Close() }
