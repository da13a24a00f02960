package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
)

// registerVisits adds the API of company visits, CompanyIssues,
// consultations and referrals: the same permissions as their pages, and the
// same service rules within them (bank staff: the visits they attended;
// members: their own consultations and referrals, without notes).
func (s *Server) registerVisits(rt *httpx.Router) {
	if s.Visits == nil {
		return
	}
	h := func(method, pattern string, perm auth.Permission, fn func(http.ResponseWriter, *http.Request, *httpx.Req)) {
		rt.Handle(httpx.Route{Method: method, Pattern: pattern, Perm: perm, Kind: httpx.API, Handler: fn})
	}
	h("GET", "/api/v1/visits", auth.PermVisitAttended, s.visitList)
	h("POST", "/api/v1/visits", auth.PermVisitEdit, s.visitCreate)
	h("GET", "/api/v1/visits/{id}", auth.PermVisitAttended, s.visitShow)
	h("PUT", "/api/v1/visits/{id}", auth.PermVisitEdit, s.visitUpdate)
	h("GET", "/api/v1/company-issues", auth.PermVisitRead, s.visitIssueList)
	h("POST", "/api/v1/company-issues", auth.PermVisitEdit, s.visitIssueCreate)
	h("GET", "/api/v1/company-issues/{id}", auth.PermVisitRead, s.visitIssueShow)
	h("PUT", "/api/v1/company-issues/{id}", auth.PermVisitEdit, s.visitIssueUpdate)
	h("GET", "/api/v1/consultations", auth.PermConsultations, s.visitConsultationList)
	h("POST", "/api/v1/consultations", auth.PermConsultations, s.visitConsultationCreate)
	h("GET", "/api/v1/consultations/{id}", auth.PermConsultations, s.visitConsultationShow)
	h("PUT", "/api/v1/consultations/{id}", auth.PermVisitEdit, s.visitConsultationUpdate)
	h("GET", "/api/v1/referrals", auth.PermConsultations, s.visitReferralList)
	h("POST", "/api/v1/referrals", auth.PermVisitEdit, s.visitReferralCreate)
	h("GET", "/api/v1/referrals/{id}", auth.PermConsultations, s.visitReferralShow)
	h("PUT", "/api/v1/referrals/{id}", auth.PermVisitEdit, s.visitReferralUpdate)
	h("GET", "/api/v1/organizations/{id}/timeline", auth.PermVisitRead, s.visitTimeline)
	h("GET", "/api/v1/planning/not-visited", auth.PermVisitRead, s.visitNotVisited)
	h("GET", "/api/v1/planning/agenda", auth.PermVisitAttended, s.visitAgenda)
	h("GET", "/api/v1/support-agencies", auth.PermVisitRead, s.visitAgencies)
	h("GET", "/api/v1/visit-counts", auth.PermVisitReport, s.visitCounts)
	h("GET", "/api/v1/exports/visits", auth.PermVisitReport, s.visitExport)
	h("GET", "/api/v1/calendar-feeds", auth.PermVisitAttended, s.visitFeedList)
	h("POST", "/api/v1/calendar-feeds", auth.PermVisitAttended, s.visitFeedCreate)
	h("DELETE", "/api/v1/calendar-feeds/{id}", auth.PermVisitAttended, s.visitFeedRevoke)
}

// params reads query parameters, collecting what cannot be read as field
// errors.
type params struct {
	r  *http.Request
	fe errs.Fields
}

func (p *params) str(name string) string { return p.r.URL.Query().Get(name) }

func (p *params) int(name string) int {
	v := p.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.fe.Add(name, name+" は整数で指定してください", name+" must be an integer")
	}
	return n
}

func (p *params) id(name string) int64 {
	v := p.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.fe.Add(name, name+" は正の整数で指定してください", name+" must be a positive integer")
	}
	return n
}

func (p *params) bool(name string) bool {
	v := p.str(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fe.Add(name, name+" は true か false です", name+" is true or false")
	}
	return b
}

// date reads YYYY-MM-DD as the start of that day in Japan.
func (p *params) date(name string) time.Time {
	v := p.str(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02", v, jp.JST)
	if err != nil {
		p.fe.Add(name, name+" は 2025-06-03 の形で指定してください", name+" is a date like 2025-06-03")
	}
	return t
}

// parseTime reads a time of the API: RFC 3339, or a local time in Japan
// ("2025-06-03T14:00"). Empty is the zero time.
func parseTime(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, jp.JST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errs.Fields{{Field: field, JA: field + " は 2025-06-03T14:00:00+09:00 の形（RFC 3339）で指定してください", EN: field + " is a time like 2025-06-03T14:00:00+09:00 (RFC 3339)"}}.Err()
}

func pageJSON[T any](items []T, total, page, perPage int) map[string]any {
	pages := 0
	if perPage > 0 {
		pages = (total + perPage - 1) / perPage
	}
	return map[string]any{"items": items, "total": total, "page": page, "per_page": perPage, "pages": pages}
}
