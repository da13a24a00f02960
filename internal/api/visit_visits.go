package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

// visitBody is a visit as the API takes it: starts_at as text, so that a
// time that cannot be read is a field error, not a broken request.
type visitBody struct {
	visit.VisitInput
	StartsAt string `json:"starts_at"`
	Version  *int   `json:"version,omitempty"`
}

func (b *visitBody) input() (visit.VisitInput, error) {
	t, err := parseTime("starts_at", b.StartsAt)
	in := b.VisitInput
	in.StartsAt = t
	return in, err
}

func (s *Server) visitList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	vq := visit.VisitQuery{FiscalYear: p.int("fiscal_year"), OrganizationID: p.id("organization_id"), Status: visit.VisitStatus(p.str("status")),
		Capability: visit.Capability(p.str("capability")), Pillar: visit.Pillar(p.int("pillar")), LifeStage: visit.LifeStage(p.str("life_stage")),
		Q: p.str("q"), From: p.date("from"), To: p.date("to"), Sort: p.str("sort"), Page: p.int("page"), PerPage: p.int("per_page")}
	if a := p.str("attendee"); a == "me" {
		vq.AttendeeID = q.Actor.UserID
	} else {
		vq.AttendeeID = p.id("attendee")
	}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Visits.ListVisits(r.Context(), q.Actor, vq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pageJSON(res.Items, res.Total, res.Page, res.PerPage))
}

func (s *Server) visitShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	v, err := s.Visits.GetVisit(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, v)
}

func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var b visitBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in, err := b.input()
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	v, err := s.Visits.CreateVisit(r.Context(), q.Actor, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/visits/"+strconv.FormatInt(v.ID, 10))
	httpx.JSON(w, http.StatusCreated, v)
}

func (s *Server) visitUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	// A record of another municipality is not found, whatever the body.
	if _, err := s.Visits.GetVisit(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	var b visitBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(b.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in, err := b.input()
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	v, err := s.Visits.UpdateVisit(r.Context(), q.Actor, id, *b.Version, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, v)
}
