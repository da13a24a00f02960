package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/directory"
	"mieruka/internal/httpx"
)

// pager is what the pager partial needs.
type pager struct {
	Query       map[string][]string
	Page, Pages int
}

type homeData struct {
	Snap *directory.Snapshot
	Rows []string
}

// homeShow is the public start page: the city's manufacturing in one view.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.cached(w, r, q, sn.Version(), func() (int, string, *Page, error) {
		return http.StatusOK, "public_home", s.homePage(r, q, sn), nil
	})
}

func (s *Server) homePage(r *http.Request, q *httpx.Req, sn *directory.Snapshot) *Page {
	p := s.publicPage(r, q, q.T("市内企業紹介サイト", "Local industry directory"), "home", homeData{Snap: sn, Rows: gojuonRows})
	p.Public.Description = q.T(q.Site.Name+"のものづくり企業と大学研究室が、製品・技術・設備・強みを紹介しています。加工技術や材料、認証から協力先を探せます。",
		"Manufacturers and university labs of "+q.Site.DisplayName("en")+": their products, technologies, equipment and strengths. Find partners by process, material or certification.")
	p.Public.JSONLD = map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": p.Public.SiteName, "url": s.BaseURL + sitePath(p, "/"),
		"potentialAction": map[string]any{"@type": "SearchAction", "target": s.BaseURL + sitePath(p, "/search") + "?q={query}", "query-input": "required name=query"}}
	return p
}

// anonymousOf is the request's actor as the public sees things, so that staff
// looking at public pages see what the public sees.
func anonymousOf(q *httpx.Req) (a auth.Actor) {
	a = auth.Anonymous(q.Site.Code)
	a.IP, a.Lang = q.Actor.IP, q.Lang
	return a
}
