package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type consultationBody struct {
	visit.ConsultationInput
	ReceivedAt string `json:"received_at"`
	Version    *int   `json:"version,omitempty"`
}

func (b *consultationBody) input() (visit.ConsultationInput, error) {
	t, err := parseTime("received_at", b.ReceivedAt)
	in := b.ConsultationInput
	in.ReceivedAt = t
	return in, err
}

func (s *Server) visitConsultationList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	cq := visit.ConsultationQuery{Status: p.str("status"), Category: visit.Category(p.str("category")), OwnerID: p.id("owner_id"),
		OrganizationID: p.id("organization_id"), FiscalYear: p.int("fiscal_year"), Overdue: p.bool("overdue"), Q: p.str("q"),
		Page: p.int("page"), PerPage: p.int("per_page")}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Visits.ListConsultations(r.Context(), q.Actor, cq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pageJSON(res.Items, res.Total, res.Page, res.PerPage))
}

func (s *Server) visitConsultationShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	c, err := s.Visits.GetConsultation(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, c)
}

// visitConsultationCreate records a consultation: staff for any company, a
// member asking for their own (what the city fills in is set by the service).
func (s *Server) visitConsultationCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var b consultationBody
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in, err := b.input()
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	c, err := s.Visits.CreateConsultation(r.Context(), q.Actor, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/consultations/"+strconv.FormatInt(c.ID, 10))
	httpx.JSON(w, http.StatusCreated, c)
}

func (s *Server) visitConsultationUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if _, err := s.Visits.GetConsultation(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	var b consultationBody
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
	c, err := s.Visits.UpdateConsultation(r.Context(), q.Actor, id, *b.Version, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, c)
}
