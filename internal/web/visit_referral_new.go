package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

// visitReferralData is the referral page: the record and its form.
type visitReferralData struct {
	visitPage
	New      bool
	R        visit.Referral
	In       visit.ReferralInput
	Version  int
	Staff    []visit.UserBrief
	Agencies []visit.Agency
	Category visit.Category // the consultation's, to suggest agencies
	CanEdit  bool
	Conflict *visit.Referral
}

func referralFromForm(r *http.Request) visit.ReferralInput {
	return visit.ReferralInput{OrganizationID: formID(r, "organization_id"), AgencyID: formID(r, "agency_id"), ConsultationID: formID(r, "consultation_id"),
		IssueID: formID(r, "issue_id"), Measure: r.PostFormValue("measure"), ReferredOn: visit.Date(r.PostFormValue("referred_on")),
		Outcome: visit.Outcome(r.PostFormValue("outcome")), FollowUpOn: visit.Date(r.PostFormValue("follow_up_on")), OwnerID: formID(r, "owner_id"),
		Notes: r.PostFormValue("notes")}
}

func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d visitReferralData, err error) {
	ctx := r.Context()
	var serr error
	if d.Staff, serr = s.Visits.StaffUsers(ctx, q.Actor); serr == nil {
		d.Agencies, serr = s.Visits.Agencies(ctx, q.Actor, d.Category)
	}
	if serr != nil {
		s.fail(w, r, q, serr)
		return
	}
	d.visitPage, d.CanEdit = s.visitPage(q, "referrals"), q.Actor.Can(auth.PermVisitEdit)
	title := q.T("紹介: ", "Referral: ") + d.R.OrganizationName + " → " + d.R.AgencyName
	if d.New {
		title = q.T("支援機関への紹介", "Refer to an agency")
	}
	s.render(w, r, status, "visit_referral", s.page(r, q, title, "visits", d).withError(err))
}

// visitReferralNew starts a referral from a consultation (?consultation_id=)
// or a CompanyIssue (?issue_id=).
func (s *Server) visitReferralNew(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	d := visitReferralData{New: true, In: visit.ReferralInput{Outcome: visit.OutcomeAccepted, ReferredOn: visit.DateOf(nowJST())}}
	switch {
	case formID(r, "consultation_id") > 0:
		c, err := s.Visits.GetConsultation(ctx, q.Actor, formID(r, "consultation_id"))
		if err != nil {
			s.fail(w, r, q, err)
			return
		}
		d.In.ConsultationID, d.R.OrganizationName, d.R.Subject, d.Category = c.ID, c.OrganizationName, c.Subject, c.Category
	case formID(r, "issue_id") > 0:
		i, err := s.Visits.GetIssue(ctx, q.Actor, formID(r, "issue_id"))
		if err != nil {
			s.fail(w, r, q, err)
			return
		}
		d.In.IssueID, d.R.OrganizationName, d.R.Subject = i.ID, i.OrganizationName, i.Title
		if len(i.Measures) > 0 {
			d.In.Measure = i.Measures[0]
		}
	default:
		s.fail(w, r, q, errs.New(errs.BadRequest, "相談か課題のページから紹介してください", "Refer from a consultation's or an issue's page"))
		return
	}
	d.In.FollowUpOn = d.In.ReferredOn.AddDays(14)
	s.renderReferral(w, r, q, http.StatusOK, d, nil)
}

func (s *Server) visitReferralCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := referralFromForm(r)
	ref, err := s.Visits.CreateReferral(r.Context(), q.Actor, in)
	if err != nil {
		d := visitReferralData{New: true, In: in}
		d.R.OrganizationName, d.R.Subject = r.PostFormValue("organization_name"), r.PostFormValue("subject")
		s.renderReferral(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	s.redirect(w, r, "/staff/referrals/"+itoa(ref.ID), q.T("紹介を記録しました", "The referral is recorded"))
}
