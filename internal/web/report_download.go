package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/org"

	"mieruka/internal/httpx"
	"mieruka/internal/report"
)

// reportDownload serves an organization's PR report: staff reach any
// organization, the public published companies and labs.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	a := q.Actor
	if !isStaffPath(r) {
		a = anonymousOf(q)
	}
	pdf, o, err := s.Reports.PR(r.Context(), a, r.PathValue("id"))
	if err == nil && !isStaffPath(r) && kindOfPath(r) != o.Kind {
		err = errs.NotFoundf("ページが見つかりません", "Page not found")
	}
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	httpx.Send(w, "application/pdf", report.FileName(o), pdf, true)
}

// kindOfPath is the kind a public URL names: /labs/… or /companies/….
func kindOfPath(r *http.Request) org.Kind {
	if strings.Contains(r.URL.Path, "/labs/") {
		return org.KindLab
	}
	return org.KindCompany
}

func isStaffPath(r *http.Request) bool {
	return len(r.URL.Path) >= 7 && r.URL.Path[:7] == "/staff/"
}
