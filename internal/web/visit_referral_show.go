package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

func referralInputOf(x visit.Referral) visit.ReferralInput {
	return visit.ReferralInput{OrganizationID: x.OrganizationID, AgencyID: x.AgencyID, ConsultationID: x.ConsultationID, IssueID: x.IssueID,
		Measure: x.Measure, ReferredOn: x.ReferredOn, Outcome: x.Outcome, FollowUpOn: x.FollowUpOn, OwnerID: x.OwnerID, Notes: x.Notes}
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
	s.renderReferral(w, r, q, http.StatusOK, visitReferralData{R: x, In: referralInputOf(x), Version: x.Version}, nil)
}

func (s *Server) visitReferralUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Visits.GetReferral(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := referralFromForm(r)
	version := formInt(r, "version")
	if _, err := s.Visits.UpdateReferral(ctx, q.Actor, id, version, in); err != nil {
		d := visitReferralData{R: cur, In: in, Version: version}
		if c, ok := errs.As(err).Current.(visit.Referral); ok {
			d.Conflict, d.Version = &c, c.Version
		}
		s.renderReferral(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	s.redirect(w, r, "/staff/referrals/"+itoa(id), q.T("紹介を保存しました", "The referral is saved"))
}
