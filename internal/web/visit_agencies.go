package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type visitAgenciesData struct {
	visitPage
	Category visit.Category
	Agencies []visit.Agency
	Manage   bool
}

// visitAgencies is the directory of support agencies and banks that
// companies are referred to, with their specialties and contacts.
func (s *Server) visitAgencies(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	d := visitAgenciesData{visitPage: s.visitPage(q, "agencies"), Category: visit.Category(r.URL.Query().Get("category")), Manage: q.Actor.Can(auth.PermRegistryEdit)}
	p := s.page(r, q, q.T("支援機関・金融機関", "Support agencies and banks"), "visits", nil)
	var err error
	if d.Agencies, err = s.Visits.Agencies(r.Context(), q.Actor, d.Category); err != nil {
		s.fail(w, r, q, err)
		return
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "visit_agencies", p)
}
