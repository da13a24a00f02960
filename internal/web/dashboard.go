package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/nta"
	"mieruka/internal/org"
)

type dashboardData struct {
	Stats        org.Stats
	Approvals    org.ListResult
	Activity     []auth.Activity
	Corporations int
	Kinds        []org.Kind
}

func (s *Server) dashboardShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	var d dashboardData
	var err error
	d.Kinds = org.Kinds
	if d.Stats, err = s.Orgs.Stats(ctx, q.Actor); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if d.Approvals, err = s.Orgs.List(ctx, q.Actor, org.ListQuery{DraftStatus: org.DraftSubmitted, Sort: "updated", PerPage: 10}); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if d.Activity, err = s.Auth.RecentActivity(ctx, q.Actor, 15); err != nil {
		s.fail(w, r, q, err)
		return
	}
	d.Corporations, _ = nta.Count(ctx, s.DB)
	s.render(w, r, http.StatusOK, "dashboard", s.page(r, q, q.T("ホーム", "Home"), "dashboard", d))
}

func (s *Server) approvalsList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	res, err := s.Orgs.List(r.Context(), q.Actor, org.ListQuery{DraftStatus: org.DraftSubmitted, Sort: "updated", Page: atoiDefault(r.URL.Query().Get("page"), 1)})
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d := orgListData{Result: res, Pager: pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}}
	s.render(w, r, http.StatusOK, "approvals", s.page(r, q, q.T("承認待ち", "Awaiting approval"), "approvals", d))
}
