package web

import (
	"net/http"
	"time"

	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

type visitReferralListData struct {
	visitPage
	Q      visit.ReferralQuery
	Result visit.Page[visit.Referral]
	Pager  pager
	Years  []int
	Mine   bool
}

func (s *Server) visitReferralList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	d := visitReferralListData{visitPage: s.visitPage(q, "referrals")}
	d.Q = visit.ReferralQuery{Outcome: v.Get("outcome"), AgencyID: formID(r, "agency_id"), FiscalYear: atoiQuery(r, "fy"),
		Overdue: v.Get("overdue") == "1", Page: atoiDefault(v.Get("page"), 1)}
	if d.Mine = v.Get("mine") == "1"; d.Mine {
		d.Q.OwnerID = q.Actor.UserID
	}
	for y := jp.FiscalYear(time.Now()); y >= jp.FiscalYear(time.Now())-5; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.page(r, q, q.T("支援機関への紹介", "Referrals"), "visits", nil)
	res, err := s.Visits.ListReferrals(r.Context(), q.Actor, d.Q)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	p.Data = d
	s.render(w, r, status, "visit_referral_list", p)
}
