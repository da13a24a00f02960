package org

// Import and export of the registry as JSON Lines, CSV and XLSX.
//
// Export writes every organization the actor may list (it pages through
// List, so the visibility rules live in one place):
//
//   - JSON Lines: one object per line, {"id", "external_id", "kind", "status",
//     "published", "version", "profile", "updated_at"}, the profile whole. It
//     is lossless: importing it into an empty municipality gives the same
//     registry.
//   - CSV (UTF-8 with BOM, CRLF, RFC 4180) and XLSX: one row per
//     organization under a header of Japanese column labels (see columns in
//     transfer_columns.go), lists joined by "、", times in Japan time with a
//     和暦 column beside. Both are meant for Excel: the CSV guards against
//     formula injection, the workbook writes text as text, never formulas.
//
// Import reads the same three formats (CSV and XLSX also with English column
// keys, and CSV also in Shift_JIS, as Excel saves it). The whole file is read
// once before anything is written, so that a file over the limits, or whose
// header cannot be used, is refused whole. Then each row is matched to an
// organization of the actor's municipality and written in a transaction of
// its own — a crash loses no committed row and leaves no organization half
// written; re-running the file completes the import. A row that is unchanged
// writes nothing, so re-running a file never duplicates anything. Bad rows
// are reported with their line numbers and reasons in Japanese and English;
// the good ones are kept.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

// Format is a file format of the registry's import and export.
type Format string

const (
	FormatJSONL Format = "jsonl" // JSON Lines, one organization per line: lossless
	FormatCSV   Format = "csv"   // UTF-8 with BOM, CRLF, one organization per row
	FormatXLSX  Format = "xlsx"  // Excel workbook, one organization per row
)

// Formats lists the formats in the order offered to people.
var Formats = []Format{FormatXLSX, FormatCSV, FormatJSONL}

// FormatFromName picks the format by a file name's extension: .jsonl,
// .ndjson or .json; .csv; .xlsx or .xlsm.
func FormatFromName(filename string) (Format, error) {
	// path.Ext stops at the last dot either way, so Windows paths work too.
	switch strings.ToLower(path.Ext(filename)) {
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL, nil
	case ".csv":
		return FormatCSV, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".xls":
		return "", errs.New(errs.BadRequest,
			"古いExcel形式（.xls）は読み込めません。Excelで「Excel ブック（*.xlsx）」として保存し直してください",
			"The old Excel format (.xls) cannot be read; save the file as an Excel workbook (.xlsx)")
	}
	return "", errUnsupportedFormat
}

var errUnsupportedFormat = errs.New(errs.BadRequest,
	"対応していないファイル形式です（.xlsx・.csv・.jsonl に対応しています）",
	"Unsupported file type (use .xlsx, .csv or .jsonl)")

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// ContentType is the MIME type to serve an export with.
func (f Format) ContentType() string {
	switch f {
	case FormatJSONL:
		return "application/x-ndjson; charset=utf-8"
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// Limits of an import. A file beyond them is refused before anything is
// written, with a message saying which limit and where.
const (
	MaxImportRows      = 100_000   // data rows, the header and blank rows not counted
	MaxImportCellChars = 10_000    // characters in one CSV or XLSX cell
	MaxImportBytes     = 512 << 20 // the file itself
	MaxImportErrors    = 10_000    // row errors kept in a report (Failed counts them all)
	maxJSONLine        = 4 << 20   // bytes in one JSON Lines line
	exportPageSize     = 500
)

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun reads, matches, normalizes and checks every row as a real
	// import would, and writes nothing. The report says what the import would
	// do.
	DryRun bool
	// Progress, if set, is called after each row with the number of rows
	// done so far. It runs on the importing goroutine: keep it cheap.
	Progress func(done int)
}

// ImportRowError is a problem with one row: one per field in error.
type ImportRowError struct {
	Line   int    `json:"line"`             // line of the file (CSV: physical line where the row starts; XLSX: row number; JSON Lines: line)
	Field  string `json:"field,omitempty"`  // profile field, as in the API ("corporate_number", "contacts[0].email"); "" for the row as a whole
	Column string `json:"column,omitempty"` // the column's header as written in the file (CSV, XLSX)
	Name   string `json:"name,omitempty"`   // the row's organization name, to help find it
	JA     string `json:"ja"`
	EN     string `json:"en"`
}

// ImportWarning is something the import did not use but that did not stop a
// row: an unknown column, the file's encoding, an external id it could not
// attach. Line is 0 for the file as a whole.
type ImportWarning struct {
	Line int    `json:"line,omitempty"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
}

// ImportReport says what an import did (or, dry, would do). Rows = Created
// + Updated + Unchanged + Failed.
type ImportReport struct {
	Format    Format           `json:"format"`
	DryRun    bool             `json:"dry_run"`
	Rows      int              `json:"rows"`      // data rows read (not the header, not blank rows)
	Created   int              `json:"created"`   // new organizations
	Updated   int              `json:"updated"`   // profile, publication or status changed
	Unchanged int              `json:"unchanged"` // matched and already the same: nothing written
	Failed    int              `json:"failed"`    // rows with errors: nothing written for them
	Errors    []ImportRowError `json:"errors"`    // the first MaxImportErrors, in file order
	Warnings  []ImportWarning  `json:"warnings"`
}

// ---------------------------------------------------------------- export

// Export writes every organization the actor may list and q selects (q's
// Page and PerPage are ignored) in format f, and returns how many it wrote.
// Staff see every field; members and the public what List shows them, and
// the staff-only columns (公開範囲, 内部メモ) are left out. Organizations are
// read page by page, so a registry of any size exports in bounded memory; an
// organization changed while the export runs may appear as it was or as it
// became.
func (s *Service) Export(ctx context.Context, a auth.Actor, w io.Writer, f Format, q ListQuery) (int, error) {
	var sink exportSink
	var err error
	switch f {
	case FormatJSONL:
		sink = newJSONLSink(w)
	case FormatCSV:
		sink, err = newCSVSink(w, exportColumns(a))
	case FormatXLSX:
		sink, err = newXLSXSink(w, exportColumns(a))
	default:
		return 0, errUnsupportedFormat
	}
	if err != nil {
		return 0, errs.Wrap(err, "start export")
	}
	n, err := s.eachForExport(ctx, a, q, sink.write)
	if err != nil {
		sink.abort()
		return n, err
	}
	return n, errs.Wrap(sink.finish(), "write export")
}

// exportSink writes organizations in one format.
type exportSink interface {
	write(o *Organization) error
	finish() error // completes the file
	abort()        // releases what finish would have
}

func (s *Service) eachForExport(ctx context.Context, a auth.Actor, q ListQuery, fn func(*Organization) error) (int, error) {
	q.PerPage = exportPageSize
	seen := map[int64]bool{} // pages are offsets: a concurrent insert can shift a row into the next page too
	n := 0
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		q.Page = page
		res, err := s.List(ctx, a, q)
		if err != nil {
			return n, err
		}
		for i := range res.Items {
			o := &res.Items[i]
			if seen[o.ID] {
				continue
			}
			seen[o.ID] = true
			if err := fn(o); err != nil {
				return n, errs.Wrap(err, "write export")
			}
			n++
		}
		if len(res.Items) == 0 || page*q.PerPage >= res.Total {
			return n, nil
		}
	}
}

// jsonlRecord is one line of a JSON Lines export.
type jsonlRecord struct {
	ID         int64   `json:"id"`
	ExternalID string  `json:"external_id"`
	Kind       Kind    `json:"kind"`
	Status     Status  `json:"status"`
	Published  bool    `json:"published"`
	Version    int     `json:"version"`
	Profile    Profile `json:"profile"`
	UpdatedAt  string  `json:"updated_at"` // RFC 3339 in Japan time
}

type jsonlSink struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func newJSONLSink(w io.Writer) *jsonlSink {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // keep URLs and "&" readable
	return &jsonlSink{bw: bw, enc: enc}
}

func (j *jsonlSink) write(o *Organization) error {
	return j.enc.Encode(jsonlRecord{ID: o.ID, ExternalID: o.ExternalID, Kind: o.Kind, Status: o.Status, Published: o.Published,
		Version: o.Version, Profile: o.Profile, UpdatedAt: o.UpdatedAt.In(jp.JST).Format("2006-01-02T15:04:05.999999Z07:00")})
}

func (j *jsonlSink) finish() error { return j.bw.Flush() }
func (j *jsonlSink) abort()        {}

// ---------------------------------------------------------------- import

// Import reads organizations from r in format f into the actor's
// municipality. It needs registry.manage (staff, admins).
//
// Each row is matched to an organization of the municipality: by its id
// (column ID / "id") when that organization agrees with the row's external
// id, 法人番号 or name — ids of another system or municipality are ignored;
// else by external id (外部ID); else by 法人番号; else, for a row with neither
// (sole proprietors), by its exact name and kind, when exactly one
// organization has it and the addresses do not disagree. No match creates
// an organization (kind 企業 unless the row says otherwise); a match updates
// it when the row's normalized profile, publication (公開) or status (状態)
// differs, and writes nothing otherwise. The same organization twice in one
// file is an error on the later row. Import never deletes an organization,
// nor archives one missing from the file.
//
// JSON Lines rows replace the profile whole. CSV and XLSX rows set the
// columns the file has — an empty cell clears the field, a column the file
// lacks stays as it is — and keep what a cell cannot hold: the details of
// equipment and products whose names are unchanged, contacts after the
// first, the logo. When the file carries the version (バージョン) of a row
// matched by id and the organization has changed since, a changed row is
// refused rather than overwrite the other person's edit.
//
// Errors of single rows are in the report; the returned error is for the
// file as a whole (permission, format, limits) or for a failure that stops
// the import (the database, the context), in which case the report tells
// what was done before.
func (s *Service) Import(ctx context.Context, a auth.Actor, r io.Reader, f Format, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Format: f, DryRun: opt.DryRun, Errors: []ImportRowError{}, Warnings: []ImportWarning{}}
	if !a.Can(auth.PermRegistryManage) {
		return rep, errs.New(errs.Forbidden, "組織を取り込む権限がありません", "You may not import organizations")
	}
	if a.Municipality == "" {
		return rep, errs.New(errs.BadRequest, "取り込み先の自治体が指定されていません", "No municipality to import into")
	}
	switch f {
	case FormatJSONL, FormatCSV, FormatXLSX:
	default:
		return rep, errUnsupportedFormat
	}
	src, err := openImport(r, f)
	if err != nil {
		return rep, err
	}
	defer src.close()
	im := &importer{s: s, a: a, opt: opt, rep: &rep, format: f, src: src,
		seenExt: map[string]int{}, seenCorp: map[string]int{}, seenID: map[int64]int{}, warned: map[string]bool{}}
	for _, w := range src.warnings() {
		im.warn(0, w.JA, w.EN)
	}
	if err := im.scan(); err != nil {
		return rep, err
	}
	err = im.run(ctx)
	if im.truncated {
		im.warn(0, fmt.Sprintf("エラーが多いため、最初の%d件だけを表示しています（エラーのある行は全部で%d行）", MaxImportErrors, rep.Failed),
			fmt.Sprintf("Only the first %d errors are listed (%d rows have errors)", MaxImportErrors, rep.Failed))
	}
	return rep, err
}

// importSource is an opened import file that can be read more than once.
type importSource interface {
	open() (rowReader, error)
	warnings() []ImportWarning // about the file as a whole (its encoding)
	close()
}

// rowReader reads the non-blank rows of a file.
type rowReader interface {
	// next returns the next non-blank row, or io.EOF. Errors are about the
	// whole file; a malformed row comes back as a row with bad set.
	next() (rawRow, error)
	close()
}

// rawRow is one row as read: CSV and XLSX cells, or one JSON Lines line.
type rawRow struct {
	line  int
	cells []string
	bad   *ImportRowError
}

func openImport(r io.Reader, f Format) (importSource, error) {
	rs, size, cleanup, err := seekable(r)
	if err != nil {
		return nil, err
	}
	if size > MaxImportBytes {
		cleanup()
		return nil, errTooBig
	}
	var src importSource
	switch f {
	case FormatCSV:
		src, err = newCSVSource(rs, cleanup)
	case FormatXLSX:
		src, err = newXLSXSource(rs, cleanup)
	default:
		src, err = &jsonlSource{rs: rs, cleanup: cleanup}, nil
	}
	if err != nil {
		cleanup()
		return nil, err
	}
	return src, nil
}

var errTooBig = errs.New(errs.TooLarge,
	fmt.Sprintf("ファイルが大きすぎます（上限%dMB）。ファイルを分けて取り込んでください", MaxImportBytes>>20),
	fmt.Sprintf("The file is too large (at most %d MB); split it and import the parts", MaxImportBytes>>20))

// seekable returns r as something that can be read again from its start: r
// itself when it can seek, else a temporary copy.
func seekable(r io.Reader) (io.ReadSeeker, int64, func(), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			end, err := rs.Seek(0, io.SeekEnd)
			if err == nil {
				if _, err := rs.Seek(start, io.SeekStart); err == nil {
					return &offsetSeeker{rs: rs, start: start}, end - start, func() {}, nil
				}
			}
		}
	}
	tmp, err := os.CreateTemp("", "mieruka-import-*")
	if err != nil {
		return nil, 0, nil, errs.Wrap(err, "spool import")
	}
	cleanup := func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	n, err := io.Copy(tmp, io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		cleanup()
		return nil, 0, nil, errs.Wrap(err, "read import")
	}
	return tmp, n, cleanup, nil
}

// offsetSeeker makes the position where a reader stood its start.
type offsetSeeker struct {
	rs    io.ReadSeeker
	start int64
}

func (o *offsetSeeker) Read(p []byte) (int, error) { return o.rs.Read(p) }
func (o *offsetSeeker) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		off += o.start
	}
	n, err := o.rs.Seek(off, whence)
	return n - o.start, err
}

// rewind puts rs back at its start.
func rewind(rs io.ReadSeeker) error {
	_, err := rs.Seek(0, io.SeekStart)
	return err
}

// importer is one run of Import.
type importer struct {
	s      *Service
	a      auth.Actor
	opt    ImportOptions
	rep    *ImportReport
	format Format
	src    importSource
	hdr    *tableHeader // CSV, XLSX

	// Keys of the rows done so far, with their lines: the same organization
	// twice in one file is an error.
	seenExt  map[string]int
	seenCorp map[string]int
	seenID   map[int64]int
	names    map[string][]nameEntry // by nameKey; loaded when a row needs it
	pseudoID int64                  // ids of organizations a dry run would create: -1, -2 …

	warned    map[string]bool
	truncated bool
}

func (im *importer) tabular() bool { return im.format != FormatJSONL }

func (im *importer) warn(line int, ja, en string) {
	im.rep.Warnings = append(im.rep.Warnings, ImportWarning{Line: line, JA: ja, EN: en})
}

// warnOnce warns about key only the first time.
func (im *importer) warnOnce(key string, line int, ja, en string) {
	if !im.warned[key] {
		im.warned[key] = true
		im.warn(line, ja, en)
	}
}

// scan reads the whole file once, before anything is written: the header,
// the number of rows, the length of cells.
func (im *importer) scan() error {
	rr, err := im.src.open()
	if err != nil {
		return err
	}
	defer rr.close()
	rows := 0
	for {
		row, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i, c := range row.cells {
			if im.tabular() && utf8.RuneCountInString(c) > MaxImportCellChars {
				return errs.New(errs.TooLarge,
					fmt.Sprintf("%d行目の%s列のセルが長すぎます（%d文字、上限%d文字）", row.line, columnName(i), utf8.RuneCountInString(c), MaxImportCellChars),
					fmt.Sprintf("The cell in column %s of line %d is too long (%d characters, at most %d)", columnName(i), row.line, utf8.RuneCountInString(c), MaxImportCellChars))
			}
		}
		if im.tabular() && im.hdr == nil {
			if err := im.parseHeader(row); err != nil {
				return err
			}
			continue
		}
		if rows++; rows > MaxImportRows {
			return errs.New(errs.TooLarge,
				fmt.Sprintf("行が多すぎます（上限%d行）。ファイルを分けて取り込んでください", MaxImportRows),
				fmt.Sprintf("The file has too many rows (at most %d); split it and import the parts", MaxImportRows))
		}
	}
}

// run imports the rows.
func (im *importer) run(ctx context.Context) error {
	rr, err := im.src.open()
	if err != nil {
		return err
	}
	defer rr.close()
	header := im.tabular()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if header {
			header = false
			continue
		}
		im.rep.Rows++
		if err := im.row(ctx, row); err != nil {
			return err
		}
		if im.opt.Progress != nil {
			im.opt.Progress(im.rep.Rows)
		}
	}
}

// rowInput is what a row says, read but not yet checked against the
// registry.
type rowInput struct {
	line       int
	id         int64  // 0: none
	externalID string // "": none
	kind       Kind   // "": not given
	status     Status // "": not given
	published  *bool  // nil: not given
	version    int    // 0: not given

	profile *Profile    // JSON Lines: the whole profile
	cells   []cellValue // CSV, XLSX: the profile columns the file has

	// From the row alone, for matching.
	name, kana, corp, place string

	errs []ImportRowError // problems found while reading
}

type cellValue struct {
	col *column
	v   string
}

// build returns the profile the row gives an organization whose profile is
// cur (nil for a new one), with the problems of cells that could not be read.
func (in *rowInput) build(cur *Profile) (Profile, errs.Fields) {
	if in.profile != nil {
		return copyProfile(*in.profile), nil
	}
	var p Profile
	if cur != nil {
		p = copyProfile(*cur)
	}
	var fe errs.Fields
	for _, c := range in.cells {
		c.col.set(&p, c.v, &fe)
	}
	if cur != nil && p.Address.CityCode == cur.Address.CityCode &&
		(cleanLine(p.Address.City) != cur.Address.City || cleanLine(p.Address.Prefecture) != cur.Address.Prefecture) {
		// Moved, and the file did not give the new place's code: let
		// Normalize find it from the name.
		p.Address.CityCode = ""
	}
	return p, fe
}

// copyProfile returns a deep copy: Normalize works in place, and the stored
// profile must stay as it was to compare against.
func copyProfile(p Profile) Profile {
	b, err := json.Marshal(p)
	if err != nil {
		panic("org: copy profile: " + err.Error())
	}
	var out Profile
	if err := json.Unmarshal(b, &out); err != nil {
		panic("org: copy profile: " + err.Error())
	}
	return out
}

func sameProfile(a, b Profile) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// probe fills the row's matching keys from what the row alone says.
func (in *rowInput) probe() {
	p, _ := in.build(nil)
	in.name = cleanLine(p.Name)
	in.kana = jp.NormalizeReading(p.NameKana)
	in.corp = jp.NormalizeCorporateNumber(p.CorporateNumber)
	in.place = placeKey(p.Address)
	in.externalID = cleanLine(in.externalID)
}

// rowFailure carries a row's errors out of its transaction, rolling it back.
type rowFailure []ImportRowError

func (rowFailure) Error() string { return "import: row refused" }

// outcome is what became of a row.
type outcome int

const (
	outUnchanged outcome = iota
	outCreated
	outUpdated
)

// row imports one row. Problems of the row go into the report; the returned
// error stops the import.
func (im *importer) row(ctx context.Context, row rawRow) error {
	if row.bad != nil {
		im.fail(nil, []ImportRowError{*row.bad})
		return nil
	}
	var in *rowInput
	if im.tabular() {
		in = im.tableInput(row)
	} else {
		in = im.jsonInput(row)
	}
	in.probe()
	if len(in.errs) > 0 && in.profile == nil && in.cells == nil {
		im.fail(in, in.errs)
		return nil
	}
	if e := im.duplicate(in); e != nil {
		im.fail(in, append(in.errs, *e))
		return nil
	}
	id, byID, merrs, err := im.match(ctx, in)
	if err != nil {
		return err
	}
	if len(merrs) > 0 {
		im.fail(in, append(in.errs, merrs...))
		return nil
	}
	if l, ok := im.seenID[id]; ok && id != 0 {
		im.fail(in, append(in.errs, im.dupError(in, l, "id", "", "")))
		return nil
	}
	var out outcome
	var p Profile
	var rerrs []ImportRowError
	if id == 0 {
		out, id, p, rerrs, err = im.create(ctx, in)
	} else {
		out, p, rerrs, err = im.update(ctx, in, id, byID)
	}
	if err != nil {
		return fmt.Errorf("line %d: %w", in.line, err)
	}
	if len(rerrs) > 0 {
		im.fail(in, rerrs)
		return nil
	}
	switch out {
	case outCreated:
		im.rep.Created++
	case outUpdated:
		im.rep.Updated++
	default:
		im.rep.Unchanged++
	}
	// Remember the organization's keys, so that a later row of the same
	// organization is caught.
	if in.externalID != "" {
		im.seenExt[in.externalID] = in.line
	}
	if p.CorporateNumber != "" {
		im.seenCorp[p.CorporateNumber] = in.line
	}
	im.seenID[id] = in.line
	return nil
}

// fail records a refused row (in is nil for a row that could not be read).
func (im *importer) fail(in *rowInput, e []ImportRowError) {
	im.rep.Failed++
	for _, x := range e {
		if len(im.rep.Errors) >= MaxImportErrors {
			im.truncated = true
			return
		}
		if in != nil && x.Name == "" {
			x.Name = in.name
		}
		im.rep.Errors = append(im.rep.Errors, x)
	}
}

func (im *importer) rowError(in *rowInput, field, ja, en string) ImportRowError {
	return ImportRowError{Line: in.line, Field: field, Column: im.columnOf(field), Name: in.name, JA: ja, EN: en}
}

// rowErrors turns field errors into row errors.
func (im *importer) rowErrors(in *rowInput, fe errs.Fields) []ImportRowError {
	out := append([]ImportRowError(nil), in.errs...)
	for _, f := range fe {
		out = append(out, im.rowError(in, f.Field, f.JA, f.EN))
	}
	return out
}

// columnOf names the file's column for a field, as its header says it.
func (im *importer) columnOf(field string) string {
	if !im.tabular() || field == "" {
		return ""
	}
	c := columnForField(field)
	if c == nil {
		return ""
	}
	if i, ok := im.hdr.index[c.key]; ok {
		return im.hdr.labels[i]
	}
	return c.ja
}

// duplicate reports a row whose external id or 法人番号 an earlier row had.
func (im *importer) duplicate(in *rowInput) *ImportRowError {
	if l, ok := im.seenExt[in.externalID]; ok && in.externalID != "" {
		e := im.dupError(in, l, "external_id", "外部ID "+in.externalID, "external id "+in.externalID)
		return &e
	}
	if l, ok := im.seenCorp[in.corp]; ok && in.corp != "" {
		e := im.dupError(in, l, "corporate_number", "法人番号 "+in.corp, "corporate number "+in.corp)
		return &e
	}
	return nil
}

func (im *importer) dupError(in *rowInput, line int, field, keyJA, keyEN string) ImportRowError {
	if keyJA != "" {
		keyJA, keyEN = "（"+keyJA+"）", " ("+keyEN+")"
	}
	return im.rowError(in, field,
		fmt.Sprintf("%d行目と同じ組織です%s。1つの組織は1行にまとめてください", line, keyJA),
		fmt.Sprintf("The same organization as line %d%s; put each organization on one line only", line, keyEN))
}

// match finds the organization a row is about: its id, or 0 for a new one.
// byID says it was found by the id column.
func (im *importer) match(ctx context.Context, in *rowInput) (id int64, byID bool, rerrs []ImportRowError, err error) {
	s, a, q := im.s, im.a, im.s.db.R
	var contradicted *Organization
	if in.id > 0 {
		o, err := s.load(ctx, q, a, in.id)
		switch {
		case errs.Is(err, errs.NotFound):
			// An id of another municipality or system: match by the other keys.
		case err != nil:
			return 0, false, nil, err
		default:
			cur := o.Profile.CorporateNumber
			if (in.externalID != "" && o.ExternalID != "" && in.externalID != o.ExternalID) || (in.corp != "" && cur != "" && in.corp != cur) {
				contradicted = &o
				break
			}
			if (in.externalID != "" && in.externalID == o.ExternalID) || (in.corp != "" && in.corp == cur) || in.name == "" ||
				sameName(in.name, o.Profile.Name) || (in.kana != "" && in.kana == o.Profile.NameKana) {
				return o.ID, true, nil, nil
			}
			return 0, false, []ImportRowError{im.idMismatch(in, o)}, nil
		}
	}
	if in.externalID != "" {
		o, err := scanOrg(q.QueryRowContext(ctx, s.q.OrgByExternalID, in.externalID, a.Municipality))
		if err == nil {
			return o.ID, false, nil, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil, errs.Wrap(err, "match by external id")
		}
	}
	if in.corp != "" {
		o, err := scanOrg(q.QueryRowContext(ctx, s.q.OrgByCorporateNumber, in.corp, a.Municipality))
		if err == nil {
			if in.externalID != "" && o.ExternalID != "" {
				return 0, false, []ImportRowError{im.rowError(in, "corporate_number",
					fmt.Sprintf("法人番号 %s は外部ID「%s」の組織（ID %d、%s）に登録されています", in.corp, o.ExternalID, o.ID, o.Profile.Name),
					fmt.Sprintf("Corporate number %s belongs to the organization with external id %q (id %d, %s)", in.corp, o.ExternalID, o.ID, o.Profile.Name))}, nil
			}
			return o.ID, false, nil, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil, errs.Wrap(err, "match by corporate number")
		}
	}
	if contradicted != nil {
		return 0, false, []ImportRowError{im.idMismatch(in, *contradicted)}, nil
	}
	return im.matchByName(ctx, in)
}

func (im *importer) idMismatch(in *rowInput, o Organization) ImportRowError {
	return im.rowError(in, "id",
		fmt.Sprintf("ID %d の組織（%s）と、この行の外部ID・法人番号・名称が一致しません。別のシステムや自治体から出力したファイルなら、ID列を空にしてください", o.ID, o.Profile.Name),
		fmt.Sprintf("The organization with id %d (%s) does not match this line's external id, corporate number or name. If the file comes from another system or municipality, empty the ID column", o.ID, o.Profile.Name))
}

// sameName reports whether two names are the same organization's, ignoring
// width, kana, spacing and the legal form (株式会社 …).
func sameName(a, b string) bool {
	return jp.Fold(a) == jp.Fold(b) || jp.Fold(jp.StripLegalForm(a)) == jp.Fold(jp.StripLegalForm(b))
}

// nameEntry is what name matching needs of an organization.
type nameEntry struct {
	id        int64
	kind      Kind
	ext, corp string
	place     string
	name      string
}

func nameKey(name string) string { return jp.Fold(cleanLine(name)) }

func placeKey(a Address) string { return jp.Fold(cleanLine(a.City) + cleanLine(a.Town)) }

// matchByName matches a row by its exact name (folded) and kind, for rows
// whose keys found nothing: sole proprietors have no 法人番号, and a file
// made by hand has no ids. It takes only an organization whose keys the row
// does not contradict, and refuses to guess between several or when the
// addresses differ.
func (im *importer) matchByName(ctx context.Context, in *rowInput) (int64, bool, []ImportRowError, error) {
	if in.name == "" {
		return 0, false, nil, nil
	}
	if im.names == nil {
		if err := im.loadNames(ctx); err != nil {
			return 0, false, nil, err
		}
	}
	var cands []nameEntry
	for _, e := range im.names[nameKey(in.name)] {
		if (in.kind == "" || in.kind == e.kind) && (in.externalID == "" || e.ext == "") && (in.corp == "" || e.corp == "") {
			cands = append(cands, e)
		}
	}
	switch {
	case len(cands) == 0:
		return 0, false, nil, nil
	case len(cands) > 1:
		var ja, en []string
		for _, c := range cands {
			j, e := im.describe(c.id)
			ja, en = append(ja, j), append(en, e)
		}
		return 0, false, []ImportRowError{im.rowError(in, "name",
			fmt.Sprintf("同じ名称の組織が%d件あります（%s）。ID・外部ID・法人番号のいずれかの列で、どの組織かを指定してください", len(cands), strings.Join(ja, "、")),
			fmt.Sprintf("%d organizations have this name (%s); say which one with the ID, external id or corporate number column", len(cands), strings.Join(en, ", ")))}, nil
	}
	c := cands[0]
	if in.place != "" && c.place != "" && in.place != c.place {
		ja, en := im.describe(c.id)
		return 0, false, []ImportRowError{im.rowError(in, "name",
			fmt.Sprintf("同じ名称の組織（%s）が別の住所で登録されています。同じ組織ならID列でIDを指定し、別の組織なら外部IDか法人番号を入れてください", ja),
			fmt.Sprintf("An organization with this name (%s) is registered at another address. If it is the same, give its id in the ID column; if not, give an external id or corporate number", en))}, nil
	}
	return c.id, false, nil, nil
}

// describe names an organization of the name index for a message: a dry
// run's organizations exist only as lines of the file.
func (im *importer) describe(id int64) (ja, en string) {
	if id < 0 {
		l := im.seenID[id]
		return fmt.Sprintf("%d行目の組織", l), fmt.Sprintf("the one on line %d", l)
	}
	return fmt.Sprintf("ID %d", id), fmt.Sprintf("id %d", id)
}

func (im *importer) loadNames(ctx context.Context) error {
	im.names = map[string][]nameEntry{}
	q := ListQuery{Status: "all", Sort: "id"}
	_, err := im.s.eachForExport(ctx, im.a, q, func(o *Organization) error {
		im.addName(o.ID, o.Kind, o.ExternalID, &o.Profile)
		return nil
	})
	return err
}

func (im *importer) addName(id int64, kind Kind, ext string, p *Profile) {
	if im.names == nil {
		// Not loaded yet: it will be, from the database, with this one. (A
		// dry run's organizations are not in the database, but a row is
		// only created after matchByName, which loads the index.)
		return
	}
	k := nameKey(p.Name)
	im.names[k] = append(im.names[k], nameEntry{id: id, kind: kind, ext: ext, corp: p.CorporateNumber, place: placeKey(p.Address), name: p.Name})
}

// create adds the row as a new organization (or, dry, checks that it could).
func (im *importer) create(ctx context.Context, in *rowInput) (outcome, int64, Profile, []ImportRowError, error) {
	s, a := im.s, im.a
	p, fe := in.build(nil)
	n := NewOrganization{Kind: in.kind, ExternalID: in.externalID, Profile: p}
	if n.Kind == "" {
		n.Kind = KindCompany
	}
	if in.published != nil {
		n.Published = *in.published
	}
	if _, err := s.checkNew(ctx, a, &n); err != nil {
		if !errs.Is(err, errs.Invalid) {
			return 0, 0, p, nil, err
		}
		fe = append(fe, errs.As(err).Fields...)
	}
	if len(fe) > 0 || len(in.errs) > 0 {
		return 0, 0, p, im.rowErrors(in, fe), nil
	}
	if im.opt.DryRun {
		im.pseudoID--
		im.addName(im.pseudoID, n.Kind, n.ExternalID, &n.Profile)
		return outCreated, im.pseudoID, n.Profile, nil, nil
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.insert(ctx, tx, a, n); err != nil {
			return err
		}
		if in.status == StatusArchived {
			o, err = s.writeStatus(ctx, tx, a, o.ID, -1, StatusArchived, importArchiveReason)
		}
		return err
	})
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return 0, 0, p, im.rowErrors(in, errs.As(err).Fields), nil
		}
		return 0, 0, p, nil, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "create"})
	if o.Status == StatusArchived {
		s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: string(StatusArchived)})
	}
	im.addName(o.ID, o.Kind, o.ExternalID, &o.Profile)
	return outCreated, o.ID, o.Profile, nil, nil
}

const importArchiveReason = "ファイルの取り込みで「アーカイブ」に指定"

// update brings organization id in line with the row, in one transaction.
func (im *importer) update(ctx context.Context, in *rowInput, id int64, byID bool) (outcome, Profile, []ImportRowError, error) {
	s, a := im.s, im.a
	// Plan from a plain read first: a dry run stops there, and so does a
	// row with errors or nothing to change — the common case when a file is
	// run again — without taking the writer.
	cur, err := s.load(ctx, s.db.R, a, id)
	if errs.Is(err, errs.NotFound) {
		e := errs.As(err)
		return 0, Profile{}, []ImportRowError{im.rowError(in, "", e.JA, e.EN)}, nil
	}
	if err != nil {
		return 0, Profile{}, nil, err
	}
	pl, rerrs, err := im.plan(ctx, s.db.R, in, cur, byID)
	if err != nil || len(rerrs) > 0 || im.opt.DryRun || pl.outcome() == outUnchanged {
		return pl.outcome(), pl.profile, rerrs, err
	}
	// Write, planning again inside the transaction against what is stored
	// then.
	for attempt := 1; ; attempt++ {
		var changes []Change
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			cur, err := s.load(ctx, tx, a, id)
			if err != nil {
				return err
			}
			if pl, rerrs, err = im.plan(ctx, tx, in, cur, byID); err != nil || len(rerrs) > 0 {
				if err == nil {
					err = rowFailure(rerrs)
				}
				return err
			}
			o := cur
			if pl.profileChanged {
				if o, _, err = s.writeProfile(ctx, tx, a, o, pl.profile, "organization.update"); err != nil {
					return err
				}
				changes = append(changes, Change{Municipality: o.Municipality, ID: o.ID, Action: "update"})
			}
			if pl.publish != nil {
				if o, err = s.writePublished(ctx, tx, a, o, *pl.publish); err != nil {
					return err
				}
				changes = append(changes, Change{Municipality: o.Municipality, ID: o.ID, Action: "publish"})
			}
			if pl.status != "" {
				reason := ""
				if pl.status == StatusArchived {
					reason = importArchiveReason
				}
				if o, err = s.writeStatus(ctx, tx, a, o.ID, o.Version, pl.status, reason); err != nil {
					return err
				}
				changes = append(changes, Change{Municipality: o.Municipality, ID: o.ID, Action: string(pl.status)})
			}
			return nil
		})
		var rf rowFailure
		switch {
		case errors.As(err, &rf):
			return 0, pl.profile, rf, nil
		case errs.Is(err, errs.Conflict) && attempt < 3:
			continue // someone saved the organization between our read and write: read again
		case errs.Is(err, errs.Invalid):
			return 0, pl.profile, im.rowErrors(in, errs.As(err).Fields), nil
		case errs.Is(err, errs.Conflict), errs.Is(err, errs.NotFound):
			e := errs.As(err)
			return 0, pl.profile, []ImportRowError{im.rowError(in, "", e.JA, e.EN)}, nil
		case err != nil:
			return 0, pl.profile, nil, err
		}
		for _, c := range changes {
			s.notify(c)
		}
		return pl.outcome(), pl.profile, nil, nil
	}
}

// updatePlan is what a row changes of an organization.
type updatePlan struct {
	profile        Profile
	profileChanged bool
	publish        *bool
	status         Status
}

func (pl updatePlan) outcome() outcome {
	if pl.profileChanged || pl.publish != nil || pl.status != "" {
		return outUpdated
	}
	return outUnchanged
}

// plan works out the row's changes to cur and checks them.
func (im *importer) plan(ctx context.Context, q store.Querier, in *rowInput, cur Organization, byID bool) (updatePlan, []ImportRowError, error) {
	s, a := im.s, im.a
	p, fe := in.build(&cur.Profile)
	tax, err := s.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return updatePlan{}, nil, err
	}
	if err := p.Normalize(tax); err != nil {
		if !errs.Is(err, errs.Invalid) {
			return updatePlan{}, nil, err
		}
		fe = append(fe, errs.As(err).Fields...)
	}
	if in.kind != "" && in.kind != cur.Kind {
		fe.Add("kind", fmt.Sprintf("種別は取り込みでは変更できません（登録済み: %s、ファイル: %s）", KindLabel(cur.Kind, "ja"), KindLabel(in.kind, "ja")),
			fmt.Sprintf("An import cannot change the kind (registered: %s, file: %s)", KindLabel(cur.Kind, "en"), KindLabel(in.kind, "en")))
	}
	if in.externalID != "" && cur.ExternalID != "" && in.externalID != cur.ExternalID {
		fe.Add("external_id", fmt.Sprintf("外部IDは取り込みでは変更できません（登録済み: %s、ファイル: %s）", cur.ExternalID, in.externalID),
			fmt.Sprintf("An import cannot change the external id (registered: %s, file: %s)", cur.ExternalID, in.externalID))
	}
	pl := updatePlan{profile: p, profileChanged: !sameProfile(cur.Profile, p)}
	if in.published != nil && *in.published != cur.Published {
		pl.publish = in.published
	}
	if in.status != "" && in.status != cur.Status {
		pl.status = in.status
	}
	if pl.outcome() == outUpdated {
		if byID && in.version > 0 && in.version != cur.Version {
			fe.Add("version",
				fmt.Sprintf("このファイルの出力後に、この組織は他の人に更新されています（ファイルは版%d、現在は版%d）。上書きしないよう、出力し直してから編集してください", in.version, cur.Version),
				fmt.Sprintf("Someone changed this organization after the file was exported (file: version %d, now: version %d). Export again and make your change there, so that theirs is not overwritten", in.version, cur.Version))
		}
		if p.CorporateNumber != "" && p.CorporateNumber != cur.Profile.CorporateNumber && !fe.Has("corporate_number") {
			o, err := scanOrg(q.QueryRowContext(ctx, s.q.OrgByCorporateNumber, p.CorporateNumber, a.Municipality))
			if err == nil && o.ID != cur.ID {
				fe.Add("corporate_number",
					fmt.Sprintf("この法人番号の組織は既に登録されています（ID %d、%s）", o.ID, o.Profile.Name),
					fmt.Sprintf("An organization with this corporate number is already registered (id %d, %s)", o.ID, o.Profile.Name))
			} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return pl, nil, errs.Wrap(err, "check corporate number")
			}
		}
	}
	if in.externalID != "" && cur.ExternalID == "" {
		im.warnOnce("ext:"+itoa(cur.ID), in.line,
			fmt.Sprintf("外部ID「%s」は、登録済みの組織（ID %d）に取り込みでは設定できないため、使いませんでした", in.externalID, cur.ID),
			fmt.Sprintf("External id %q was not set: an import cannot add an external id to a registered organization (id %d)", in.externalID, cur.ID))
	}
	if len(fe) > 0 || len(in.errs) > 0 {
		return pl, im.rowErrors(in, fe), nil
	}
	return pl, nil, nil
}
