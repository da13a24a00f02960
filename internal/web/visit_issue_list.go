package web

import (
	"net/http"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

type visitIssueListData struct {
	visitPage
	Q       visit.IssueQuery
	Result  visit.Page[visit.CompanyIssue]
	Pager   pager
	Years   []int
	Mine    bool
	CanEdit bool
}

func (s *Server) visitIssueList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	d := visitIssueListData{visitPage: s.visitPage(q, "issues"), CanEdit: q.Actor.Can(auth.PermVisitEdit)}
	d.Q = visit.IssueQuery{Status: v.Get("status"), Overdue: v.Get("overdue") == "1", FiscalYear: atoiQuery(r, "fy"), Pillar: visit.Pillar(atoiQuery(r, "pillar")),
		Capability: visit.Capability(v.Get("capability")), Measure: v.Get("measure"), Q: v.Get("q"), Sort: v.Get("sort"), Page: atoiDefault(v.Get("page"), 1)}
	if !v.Has("status") {
		d.Q.Status = "active"
	}
	if d.Mine = v.Get("mine") == "1"; d.Mine {
		d.Q.OwnerID = q.Actor.UserID
	}
	if id := formID(r, "organization_id"); id > 0 {
		d.Q.OrganizationID = id
	}
	for y := jp.FiscalYear(time.Now()); y >= jp.FiscalYear(time.Now())-5; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.page(r, q, q.T("企業の課題", "Company issues"), "visits", nil)
	res, err := s.Visits.ListIssues(r.Context(), q.Actor, d.Q)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	p.Data = d
	s.render(w, r, status, "visit_issue_list", p)
}
