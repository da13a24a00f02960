package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

func consultationInputOf(c visit.Consultation) visit.ConsultationInput {
	return visit.ConsultationInput{OrganizationID: c.OrganizationID, Channel: c.Channel, Category: c.Category, Subject: c.Subject, Request: c.Request,
		Notes: c.Notes, Status: c.Status, OwnerID: c.OwnerID, ReceivedAt: c.ReceivedAt, FollowUpOn: c.FollowUpOn}
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
	d := visitConsultationData{C: c, In: consultationInputOf(c), Version: c.Version, CanEdit: q.Actor.Can(auth.PermVisitEdit),
		Date: inputDate(c.ReceivedAt), Time: inputTime(c.ReceivedAt)}
	s.renderConsultation(w, r, q, http.StatusOK, d, nil)
}

func (s *Server) visitConsultationUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Visits.GetConsultation(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := consultationFromForm(r)
	in.OrganizationID = cur.OrganizationID
	version := formInt(r, "version")
	if _, err := s.Visits.UpdateConsultation(ctx, q.Actor, id, version, in); err != nil {
		d := visitConsultationData{C: cur, In: in, Version: version, CanEdit: true, Date: r.PostFormValue("received_at"), Time: r.PostFormValue("received_at_time")}
		if c, ok := errs.As(err).Current.(visit.Consultation); ok {
			d.Conflict, d.Version = &c, c.Version
		}
		s.renderConsultation(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	s.redirect(w, r, "/staff/consultations/"+itoa(id), q.T("相談を保存しました", "The consultation is saved"))
}
