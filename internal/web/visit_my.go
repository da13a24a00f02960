package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

// visitMyData is a member's page of their company's consultations: what
// they asked, how it stands and where they were referred — never the
// city's internal notes.
type visitMyData struct {
	visitPage
	Consultations []visit.Consultation
	Referrals     []visit.Referral
	In            visit.ConsultationInput
}

func (s *Server) renderMyConsultations(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, in visit.ConsultationInput, err error) {
	ctx := r.Context()
	cs, lerr := s.Visits.ListConsultations(ctx, q.Actor, visit.ConsultationQuery{PerPage: 100})
	if lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	rs, lerr := s.Visits.ListReferrals(ctx, q.Actor, visit.ReferralQuery{PerPage: 100})
	if lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	d := visitMyData{Consultations: cs.Items, Referrals: rs.Items, In: in}
	s.render(w, r, status, "visit_my", s.page(r, q, q.T("市への相談", "Ask the city"), "my-consultations", d).withError(err))
}

func (s *Server) visitMyConsultations(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderMyConsultations(w, r, q, http.StatusOK, visit.ConsultationInput{}, nil)
}

func (s *Server) visitMyConsultationCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	in := visit.ConsultationInput{Category: visit.Category(r.PostFormValue("category")), Subject: r.PostFormValue("subject"), Request: r.PostFormValue("request")}
	if _, err := s.Visits.CreateConsultation(r.Context(), q.Actor, in); err != nil {
		s.renderMyConsultations(w, r, q, httpx.Status(errs.CodeOf(err)), in, err)
		return
	}
	s.redirect(w, r, "/my/consultations", q.T("相談を受け付けました。市の担当者からご連絡します", "Your request is received: the city will contact you"))
}
