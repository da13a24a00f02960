package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

func (s *Server) visitEdit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
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
	in := visit.VisitInput{OrganizationID: v.OrganizationID, Status: v.Status, StartsAt: v.StartsAt, Minutes: v.Minutes, Purpose: v.Purpose,
		Capabilities: v.Capabilities, Pillars: v.Pillars, LifeStage: v.LifeStage, Notes: v.Notes, CompanyAttendees: v.CompanyAttendees, OtherAttendees: v.OtherAttendees}
	for _, a := range v.Attendees {
		in.AttendeeIDs = append(in.AttendeeIDs, a.UserID)
	}
	d, err := s.newVisitForm(r.Context(), q, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d.Action, d.ID, d.Version, d.OrgName, d.Existing = visitURL(id), id, v.Version, v.OrganizationName, v.Issues
	s.render(w, r, http.StatusOK, "visit_form", s.page(r, q, q.T("訪問記録の編集", "Edit the visit"), "visits", d))
}

func (s *Server) visitUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Visits.GetVisit(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in, rows := visitFromForm(r)
	if in.OrganizationID == 0 {
		in.OrganizationID = cur.OrganizationID
	}
	version := formInt(r, "version")
	v, err := s.Visits.UpdateVisit(ctx, q.Actor, id, version, in)
	if err != nil {
		// The form comes back with what this person typed, and for a
		// conflict with what the other person saved beside it.
		d, ferr := s.newVisitForm(ctx, q, in)
		if ferr != nil {
			s.fail(w, r, q, ferr)
			return
		}
		d.Action, d.ID, d.Version, d.OrgName, d.Existing = visitURL(id), id, version, cur.OrganizationName, cur.Issues
		d.Date, d.Time = r.PostFormValue("starts_at"), r.PostFormValue("starts_at_time")
		d.Rows = formRowsOf(r)
		if c, ok := errs.As(err).Current.(visit.Visit); ok {
			d.Conflict, d.Version = &c, c.Version
		}
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "visit_form", s.page(r, q, q.T("訪問記録の編集", "Edit the visit"), "visits", d).withError(rowErrors(err, rows)))
		return
	}
	msg := q.T("訪問記録を保存しました", "The visit is saved")
	if v.Version == cur.Version {
		msg = q.T("変更はありませんでした", "Nothing changed")
	}
	s.redirect(w, r, visitURL(id), msg)
}
