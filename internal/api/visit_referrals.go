package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type referralBody struct {
	visit.ReferralInput
	Version *int `json:"version,omitempty"`
}

func (s *Server) visitReferralList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	rq := visit.ReferralQuery{Outcome: p.str("outcome"), AgencyID: p.id("agency_id"), OwnerID: p.id("owner_id"), OrganizationID: p.id("organization_id"),
		FiscalYear: p.int("fiscal_year"), Overdue: p.bool("overdue"), Page: p.int("page"), PerPage: p.int("per_page")}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Visits.ListReferrals(r.Context(), q.Actor, rq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pageJSON(res.Items, res.Total, res.Page, res.PerPage))
}

func (s *Server) visitReferralShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	x, err := s.Visits.GetReferral(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, x)
}

func (s *Server) visitReferralCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var b referralBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	x, err := s.Visits.CreateReferral(r.Context(), q.Actor, b.ReferralInput)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/referrals/"+strconv.FormatInt(x.ID, 10))
	httpx.JSON(w, http.StatusCreated, x)
}

func (s *Server) visitReferralUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if _, err := s.Visits.GetReferral(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	var b referralBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(b.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	x, err := s.Visits.UpdateReferral(r.Context(), q.Actor, id, *b.Version, b.ReferralInput)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, x)
}
