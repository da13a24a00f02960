package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type issueBody struct {
	visit.IssueInput
	Version *int `json:"version,omitempty"`
}

func (s *Server) visitIssueList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	iq := visit.IssueQuery{Status: p.str("status"), OwnerID: p.id("owner_id"), OrganizationID: p.id("organization_id"), Overdue: p.bool("overdue"),
		FiscalYear: p.int("fiscal_year"), Capability: visit.Capability(p.str("capability")), Pillar: visit.Pillar(p.int("pillar")),
		Measure: p.str("measure"), Q: p.str("q"), Sort: p.str("sort"), Page: p.int("page"), PerPage: p.int("per_page")}
	if p.str("owner") == "me" {
		iq.OwnerID = q.Actor.UserID
	}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Visits.ListIssues(r.Context(), q.Actor, iq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pageJSON(res.Items, res.Total, res.Page, res.PerPage))
}

func (s *Server) visitIssueShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	i, err := s.Visits.GetIssue(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, i)
}

func (s *Server) visitIssueCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var b issueBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	i, err := s.Visits.CreateIssue(r.Context(), q.Actor, b.IssueInput)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/company-issues/"+strconv.FormatInt(i.ID, 10))
	httpx.JSON(w, http.StatusCreated, i)
}

func (s *Server) visitIssueUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if _, err := s.Visits.GetIssue(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	var b issueBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(b.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	i, err := s.Visits.UpdateIssue(r.Context(), q.Actor, id, *b.Version, b.IssueInput)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, i)
}
