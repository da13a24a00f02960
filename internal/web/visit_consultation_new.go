package web

import (
	"net/http"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/visit"
)

// visitConsultationData is the consultation page: the record, its
// referrals and issues, and the form that records or updates it.
type visitConsultationData struct {
	visitPage
	New      bool
	C        visit.Consultation
	In       visit.ConsultationInput
	Date     string
	Time     string
	Version  int
	Staff    []visit.UserBrief
	CanEdit  bool
	Conflict *visit.Consultation
}

func consultationFromForm(r *http.Request) visit.ConsultationInput {
	return visit.ConsultationInput{OrganizationID: formID(r, "organization_id"), Channel: visit.Channel(r.PostFormValue("channel")),
		Category: visit.Category(r.PostFormValue("category")), Subject: r.PostFormValue("subject"), Request: r.PostFormValue("request"),
		Notes: r.PostFormValue("notes"), Status: visit.ConsultationStatus(r.PostFormValue("status")), OwnerID: formID(r, "owner_id"),
		ReceivedAt: formTime(r, "received_at", "received_at_time"), FollowUpOn: visit.Date(r.PostFormValue("follow_up_on"))}
}

func (s *Server) renderConsultation(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d visitConsultationData, err error) {
	staff, serr := s.Visits.StaffUsers(r.Context(), q.Actor)
	if serr != nil {
		s.fail(w, r, q, serr)
		return
	}
	d.Staff = staff
	d.visitPage = s.visitPage(q, "consultations")
	title := d.C.Subject
	if d.New {
		title = q.T("相談を記録する", "Record a consultation")
	}
	s.render(w, r, status, "visit_consultation", s.page(r, q, title, "visits", d).withError(err))
}

func (s *Server) visitConsultationNew(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	orgID := formID(r, "organization_id")
	if orgID <= 0 {
		d := visitPickData{visitPage: s.visitPage(q, "consultations"), Q: r.URL.Query().Get("q"), Action: "/staff/consultations/new",
			Heading: q.T("相談を記録する", "Record a consultation"), Next: q.T("相談の内容を記録する", "Record the consultation")}
		p := s.page(r, q, d.Heading, "visits", nil)
		if d.Q != "" {
			res, err := s.Orgs.List(ctx, q.Actor, org.ListQuery{Q: d.Q, PerPage: 30})
			if err != nil {
				p.withError(err)
			}
			d.Results = res
		}
		p.Data = d
		s.render(w, r, http.StatusOK, "visit_pick", p)
		return
	}
	o, err := s.Orgs.Get(ctx, q.Actor, orgID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	now := time.Now().In(jp.JST)
	d := visitConsultationData{New: true, CanEdit: true, Date: now.Format("2006-01-02"), Time: now.Format("15:04"),
		In: visit.ConsultationInput{OrganizationID: o.ID, Channel: visit.ChannelPhone, Status: visit.ConsNew, OwnerID: q.Actor.UserID}}
	d.C.OrganizationID, d.C.OrganizationName = o.ID, o.Profile.Name
	s.renderConsultation(w, r, q, http.StatusOK, d, nil)
}

func (s *Server) visitConsultationCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := consultationFromForm(r)
	c, err := s.Visits.CreateConsultation(r.Context(), q.Actor, in)
	if err != nil {
		d := visitConsultationData{New: true, CanEdit: true, In: in, Date: r.PostFormValue("received_at"), Time: r.PostFormValue("received_at_time")}
		d.C.OrganizationID = in.OrganizationID
		if o, oerr := s.Orgs.Get(r.Context(), q.Actor, in.OrganizationID); oerr == nil {
			d.C.OrganizationName = o.Profile.Name
		}
		s.renderConsultation(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	s.redirect(w, r, "/staff/consultations/"+itoa(c.ID), q.T("相談を記録しました", "The consultation is recorded"))
}
