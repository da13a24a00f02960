package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
)

// publicOrgShow is an organization's page in the public directory: its
// published, public fields, and its PR report. (The directory around it —
// search, browsing, inquiries — is a later part of mieruka.)
func (s *Server) publicOrgShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, err := s.Orgs.Lookup(r.Context(), anonymousOf(q), r.PathValue("id"))
	if err == nil && o.Kind != kindOfPath(r) {
		err = errs.NotFoundf("ページが見つかりません", "Page not found")
	}
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_org", s.page(r, q, o.Profile.DisplayName(q.Lang), "", o))
}
