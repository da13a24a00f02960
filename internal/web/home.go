package web

import (
	"net/http"

	"mieruka/internal/auth"

	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

type homeData struct {
	Q      string
	Result org.ListResult
	Pager  pager
}

// pager is what the pager partial needs.
type pager struct {
	Query       map[string][]string
	Page, Pages int
}

// homeShow is the public start page: what the city's registry publishes, with
// a search. (The full public directory is a later part of mieruka.)
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	d := homeData{Q: r.URL.Query().Get("q")}
	page := atoiDefault(r.URL.Query().Get("page"), 1)
	res, err := s.Orgs.List(r.Context(), anonymousOf(q), org.ListQuery{Q: d.Q, Page: page, PerPage: 30})
	p := s.page(r, q, q.T("市内企業・研究室", "Local companies and labs"), "home", nil)
	if err != nil {
		p.withError(err)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	p.Data = d
	s.render(w, r, http.StatusOK, "home", p)
}

// anonymousOf is the request's actor as the public sees things, so that staff
// looking at public pages see what the public sees.
func anonymousOf(q *httpx.Req) (a auth.Actor) {
	a = auth.Anonymous(q.Site.Code)
	a.IP, a.Lang = q.Actor.IP, q.Lang
	return a
}
