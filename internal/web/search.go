package web

import (
	"net/http"
	"strings"

	"mieruka/internal/directory"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
)

type searchData struct {
	Q     string
	Items []*directory.Entry
	Total int
	Pager pager
}

// searchShow is the directory's search. (Until the matching engine is wired
// in, it looks for the words in names and capabilities.)
func (s *Server) searchShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d := searchData{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	words := strings.Fields(jp.Fold(d.Q))
	for _, e := range sn.All {
		hay := jp.Fold(strings.Join(append(append(append([]string{e.Profile.Name, e.Profile.NameKana, e.Profile.PRText, e.Profile.SeedsText}, e.Profile.Processes...), e.Profile.Specialties...), e.Profile.Materials...), " "))
		ok := true
		for _, wd := range words {
			ok = ok && strings.Contains(hay, wd)
		}
		if ok {
			d.Items = append(d.Items, e)
		}
	}
	d.Total = len(d.Items)
	page := atoiDefault(r.URL.Query().Get("page"), 1)
	const per = 20
	pages := (d.Total + per - 1) / per
	if page > pages && pages > 0 {
		page = pages
	}
	from := min((page-1)*per, d.Total)
	d.Items = d.Items[from:min(from+per, d.Total)]
	d.Pager = pager{Query: r.URL.Query(), Page: page, Pages: pages}
	p := s.publicPage(r, q, q.T("検索", "Search"), "search", d)
	p.Public.NoIndex = true
	s.render(w, r, http.StatusOK, "public_search", p)
}
