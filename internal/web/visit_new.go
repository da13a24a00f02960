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

// visitPickData is the first step of recording a visit without a company:
// find the company.
type visitPickData struct {
	visitPage
	Q       string
	Results org.ListResult
	Action  string // where the search goes and the chosen company is sent
	Heading string
	Next    string // the second step, named for people
	Planned bool   // offer "plan a visit" beside each company
}

// visitNew shows the visit form for ?organization_id= (from the company's
// page), or a search for the company first. ?planned=1 starts a planned visit.
func (s *Server) visitNew(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	orgID := formID(r, "organization_id")
	if orgID <= 0 {
		d := visitPickData{visitPage: s.visitPage(q, "visits"), Q: r.URL.Query().Get("q"), Action: "/staff/visits/new",
			Heading: q.T("訪問を記録する", "Record a visit"), Next: q.T("訪問の内容を記録する", "Record the visit"), Planned: true}
		p := s.page(r, q, q.T("訪問を記録する：企業を選ぶ", "Record a visit: choose the company"), "visits", nil)
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
	in := visit.VisitInput{OrganizationID: o.ID, Status: visit.VisitDone, Minutes: 60,
		StartsAt: time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, jp.JST)}
	if r.URL.Query().Get("planned") == "1" {
		in.Status, in.StartsAt = visit.VisitPlanned, in.StartsAt.AddDate(0, 0, 7)
	}
	if q.Actor.UserID != 0 {
		in.AttendeeIDs = []int64{q.Actor.UserID}
	}
	d, err := s.newVisitForm(ctx, q, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d.Action, d.New, d.OrgName = "/staff/visits", true, o.Profile.Name
	s.render(w, r, http.StatusOK, "visit_form", s.page(r, q, q.T("訪問を記録する", "Record a visit"), "visits", d))
}

func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in, rows := visitFromForm(r)
	v, err := s.Visits.CreateVisit(ctx, q.Actor, in)
	if err != nil {
		d, ferr := s.newVisitForm(ctx, q, in)
		if ferr != nil {
			s.fail(w, r, q, ferr)
			return
		}
		d.Action, d.New = "/staff/visits", true
		d.Date, d.Time = r.PostFormValue("starts_at"), r.PostFormValue("starts_at_time")
		d.Rows = formRowsOf(r)
		if o, oerr := s.Orgs.Get(ctx, q.Actor, in.OrganizationID); oerr == nil {
			d.OrgName = o.Profile.Name
		}
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "visit_form", s.page(r, q, q.T("訪問を記録する", "Record a visit"), "visits", d).withError(rowErrors(err, rows)))
		return
	}
	s.redirect(w, r, visitURL(v.ID), q.T("訪問を記録しました", "The visit is recorded"))
}
