package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

type importsData struct {
	Report  *org.ImportReport
	DryRun  bool
	File    string
	History []org.ImportRecord
}

func (s *Server) importsShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderImports(w, r, q, http.StatusOK, importsData{}, nil)
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d importsData, err error) {
	d.History, _ = org.ListImports(r.Context(), s.DB, q.Actor.Municipality, 20)
	s.render(w, r, status, "imports", s.page(r, q, q.T("取込・出力", "Import and export"), "imports", d).withError(err))
}

// importSubmit imports an uploaded registry file (CSV, Excel or JSON Lines).
// Good rows are kept, bad rows are listed by line; a dry run only checks.
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderImports(w, r, q, http.StatusUnprocessableEntity, importsData{}, errs.Fields{{Field: "file", JA: "取り込むファイルを選んでください", EN: "Choose a file to import"}}.Err())
		return
	}
	defer file.Close()
	d := importsData{DryRun: r.PostFormValue("dry_run") != "", File: filepath.Base(hdr.Filename)}
	format, err := org.FormatFromName(hdr.Filename)
	if err != nil {
		s.renderImports(w, r, q, http.StatusUnprocessableEntity, d, errs.Fields{{Field: "file", JA: "CSV（.csv）、Excel（.xlsx）、JSON Lines（.jsonl）のファイルを選んでください", EN: "Choose a CSV (.csv), Excel (.xlsx) or JSON Lines (.jsonl) file"}}.Err())
		return
	}
	start := time.Now()
	rep, err := s.Orgs.Import(ctx, q.Actor, file, format, org.ImportOptions{DryRun: d.DryRun})
	if err != nil {
		s.renderImports(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	d.Report = &rep
	if !d.DryRun {
		if _, err := org.RecordImport(ctx, s.DB, q.Actor, q.Actor.Municipality, rep.Record(d.File, start)); err != nil {
			s.Log.Error("record import", "error", err)
		}
	}
	s.renderImports(w, r, q, http.StatusOK, d, nil)
}

// exportDownload streams the registry as CSV, Excel or JSON Lines, filtered
// like the organization list.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	f := org.Format(r.URL.Query().Get("format"))
	if !slices.Contains(org.Formats, f) {
		s.fail(w, r, q, errs.Fields{{Field: "format", JA: "形式は csv, xlsx, jsonl のいずれかです", EN: "Format is one of csv, xlsx, jsonl"}}.Err())
		return
	}
	lq := listQueryFrom(r)
	lq.Page, lq.PerPage = 0, 0
	name := fmt.Sprintf("organizations-%s-%s%s", q.Actor.Municipality, time.Now().Format("20060102"), f.Ext())
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.Orgs.Export(r.Context(), q.Actor, w, f, lq); err != nil {
		s.Log.Error("export", "error", err)
	}
}
