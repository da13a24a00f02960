package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
)

// registerVisits adds the pages of company visits, CompanyIssues,
// consultations and referrals (internal/visit): their part of the
// permission table. Services decide what each actor sees within a route:
// bank staff the visits they attended, members their own consultations.
func (s *Server) registerVisits(rt *httpx.Router) {
	if s.Visits == nil {
		return
	}
	page := func(method, pattern string, perm auth.Permission, h func(http.ResponseWriter, *http.Request, *httpx.Req)) {
		rt.Handle(httpx.Route{Method: method, Pattern: pattern, Perm: perm, Kind: httpx.Page, Handler: h})
	}
	page("GET", "/staff/planning", auth.PermVisitRead, s.visitPlanning)
	page("GET", "/staff/visits", auth.PermVisitAttended, s.visitList)
	page("GET", "/staff/visits/new", auth.PermVisitEdit, s.visitNew)
	page("POST", "/staff/visits", auth.PermVisitEdit, s.visitCreate)
	page("GET", "/staff/visits/{id}", auth.PermVisitAttended, s.visitShow)
	page("GET", "/staff/visits/{id}/edit", auth.PermVisitEdit, s.visitEdit)
	page("POST", "/staff/visits/{id}", auth.PermVisitEdit, s.visitUpdate)
	page("GET", "/staff/company-issues", auth.PermVisitRead, s.visitIssueList)
	page("POST", "/staff/company-issues", auth.PermVisitEdit, s.visitIssueCreate)
	page("GET", "/staff/company-issues/{id}", auth.PermVisitRead, s.visitIssueShow)
	page("POST", "/staff/company-issues/{id}", auth.PermVisitEdit, s.visitIssueUpdate)
	page("GET", "/staff/consultations", auth.PermVisitRead, s.visitConsultationList)
	page("GET", "/staff/consultations/new", auth.PermVisitEdit, s.visitConsultationNew)
	page("POST", "/staff/consultations", auth.PermVisitEdit, s.visitConsultationCreate)
	page("GET", "/staff/consultations/{id}", auth.PermVisitRead, s.visitConsultationShow)
	page("POST", "/staff/consultations/{id}", auth.PermVisitEdit, s.visitConsultationUpdate)
	page("GET", "/staff/referrals", auth.PermVisitRead, s.visitReferralList)
	page("GET", "/staff/referrals/new", auth.PermVisitEdit, s.visitReferralNew)
	page("POST", "/staff/referrals", auth.PermVisitEdit, s.visitReferralCreate)
	page("GET", "/staff/referrals/{id}", auth.PermVisitRead, s.visitReferralShow)
	page("POST", "/staff/referrals/{id}", auth.PermVisitEdit, s.visitReferralUpdate)
	page("GET", "/staff/agencies", auth.PermVisitRead, s.visitAgencies)
	page("GET", "/staff/organizations/{id}/timeline", auth.PermVisitRead, s.visitTimeline)
	page("GET", "/staff/visit-reports", auth.PermVisitReport, s.visitReports)
	page("GET", "/staff/visit-reports/export", auth.PermVisitReport, s.visitExport)
	page("GET", "/account/calendar", auth.PermVisitAttended, s.visitCalendar)
	page("POST", "/account/calendar", auth.PermVisitAttended, s.visitCalendarCreate)
	page("POST", "/account/calendar/{id}/revoke", auth.PermVisitAttended, s.visitCalendarRevoke)
	// The feed's secret is its authentication: calendar applications send
	// no cookies and no tokens.
	page("GET", "/calendar/{token}", auth.PermPublic, s.visitCalendarFeed)
	page("GET", "/my/consultations", auth.PermOwnProfile, s.visitMyConsultations)
	page("POST", "/my/consultations", auth.PermOwnProfile, s.visitMyConsultationCreate)
}
