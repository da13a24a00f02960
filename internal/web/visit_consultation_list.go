package web

import (
	"net/http"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

type visitConsultationListData struct {
	visitPage
	Q       visit.ConsultationQuery
	Result  visit.Page[visit.Consultation]
	Pager   pager
	Years   []int
	Mine    bool
	CanEdit bool
}

func (s *Server) visitConsultationList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	d := visitConsultationListData{visitPage: s.visitPage(q, "consultations"), CanEdit: q.Actor.Can(auth.PermVisitEdit)}
	d.Q = visit.ConsultationQuery{Status: v.Get("status"), Category: visit.Category(v.Get("category")), FiscalYear: atoiQuery(r, "fy"),
		Overdue: v.Get("overdue") == "1", Q: v.Get("q"), Page: atoiDefault(v.Get("page"), 1)}
	if d.Mine = v.Get("mine") == "1"; d.Mine {
		d.Q.OwnerID = q.Actor.UserID
	}
	for y := jp.FiscalYear(time.Now()); y >= jp.FiscalYear(time.Now())-5; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.page(r, q, q.T("相談", "Consultations"), "visits", nil)
	res, err := s.Visits.ListConsultations(r.Context(), q.Actor, d.Q)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	p.Data = d
	s.render(w, r, status, "visit_consultation_list", p)
}
