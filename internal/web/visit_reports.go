package web

import (
	"bytes"
	"net/http"
	"time"

	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

type visitReportsData struct {
	visitPage
	Year   int
	Years  []int
	Counts visit.Counts
	Kinds  []string
}

// KindName names an export kind.
func (visitReportsData) KindName(kind, lang string) string {
	ja := map[string]string{visit.ExportSummary: "集計", visit.ExportVisits: "訪問", visit.ExportIssues: "課題", visit.ExportConsultations: "相談", visit.ExportReferrals: "紹介"}
	en := map[string]string{visit.ExportSummary: "Summary", visit.ExportVisits: "Visits", visit.ExportIssues: "Company issues", visit.ExportConsultations: "Consultations", visit.ExportReferrals: "Referrals"}
	if lang == "en" {
		return en[kind]
	}
	return ja[kind]
}

// visitReports shows a fiscal year's counts for the council with the
// exports (XLSX, CSV).
func (s *Server) visitReports(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	d := visitReportsData{visitPage: s.visitPage(q, "reports"), Year: atoiQuery(r, "fy"), Kinds: visit.ExportKinds}
	cur := jp.FiscalYear(time.Now())
	if d.Year == 0 {
		d.Year = cur
	}
	for y := cur; y >= cur-9; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.page(r, q, q.T("集計・出力（推進協議会向け）", "Counts and exports (for the council)"), "visits", nil)
	c, err := s.Visits.Counts(r.Context(), q.Actor, d.Year)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Counts = c
	p.Data = d
	s.render(w, r, status, "visit_reports", p)
}

// visitExport downloads a fiscal year's export (?fy=&format=xlsx|csv&kind=).
func (s *Server) visitExport(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	fy, format, kind := atoiQuery(r, "fy"), v.Get("format"), v.Get("kind")
	if fy == 0 {
		fy = jp.FiscalYear(time.Now())
	}
	if format == "" {
		format = "xlsx"
	}
	var buf bytes.Buffer
	if err := s.Visits.Export(r.Context(), q.Actor, fy, format, kind, &buf); err != nil {
		s.fail(w, r, q, err)
		return
	}
	ct := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+visit.ExportName(fy, format, kind)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
