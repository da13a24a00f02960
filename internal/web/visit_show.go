package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type visitShowData struct {
	visitPage
	V       visit.Visit
	CanEdit bool
	Staff   []visit.UserBrief
}

func (s *Server) visitShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
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
	d := visitShowData{visitPage: s.visitPage(q, "visits"), V: v, CanEdit: q.Actor.Can(auth.PermVisitEdit)}
	if d.CanEdit {
		if d.Staff, err = s.Visits.StaffUsers(r.Context(), q.Actor); err != nil {
			s.fail(w, r, q, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "visit_show", s.page(r, q, v.OrganizationName+" "+q.T("訪問", "visit"), "visits", d))
}
