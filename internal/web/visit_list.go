package web

import (
	"net/http"
	"strconv"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

type visitListData struct {
	visitPage
	Q       visit.VisitQuery
	Result  visit.Page[visit.Visit]
	Pager   pager
	Years   []int
	Mine    bool
	CanEdit bool
	Bank    bool
}

func (s *Server) visitList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	d := visitListData{visitPage: s.visitPage(q, "visits"), CanEdit: q.Actor.Can(auth.PermVisitEdit), Bank: q.Actor.Role == auth.RoleBank}
	d.Q = visit.VisitQuery{FiscalYear: atoiQuery(r, "fy"), Status: visit.VisitStatus(v.Get("status")), Pillar: visit.Pillar(atoiQuery(r, "pillar")),
		Capability: visit.Capability(v.Get("capability")), Q: v.Get("q"), Sort: v.Get("sort"), Page: atoiDefault(v.Get("page"), 1)}
	if id, err := strconv.ParseInt(v.Get("organization_id"), 10, 64); err == nil {
		d.Q.OrganizationID = id
	}
	if d.Mine = v.Get("mine") == "1"; d.Mine {
		d.Q.AttendeeID = q.Actor.UserID
	}
	if d.Q.Status == visit.VisitPlanned && d.Q.Sort == "" {
		d.Q.Sort = "oldest"
		d.Q.From = visit.DateOf(time.Now()).Time()
	}
	for y := jp.FiscalYear(time.Now()); y >= jp.FiscalYear(time.Now())-5; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.page(r, q, q.T("企業訪問の記録", "Company visits"), "visits", nil)
	res, err := s.Visits.ListVisits(r.Context(), q.Actor, d.Q)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	p.Data = d
	s.render(w, r, status, "visit_list", p)
}
