package web

import (
	"net/http"

	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

type orgListData struct {
	Q      org.ListQuery
	Result org.ListResult
	Pager  pager
	Kinds  []org.Kind
	Export string // query string for the export links
}

func listQueryFrom(r *http.Request) org.ListQuery {
	v := r.URL.Query()
	q := org.ListQuery{Q: v.Get("q"), Kind: org.Kind(v.Get("kind")), Status: org.Status(v.Get("status")),
		DraftStatus: org.DraftStatus(v.Get("draft")), JSIC: v.Get("jsic"), City: v.Get("city"),
		Facet: org.Facet(v.Get("facet")), Term: v.Get("term"), Sort: v.Get("sort"), Page: atoiDefault(v.Get("page"), 1)}
	switch v.Get("published") {
	case "1":
		t := true
		q.Published = &t
	case "0":
		f := false
		q.Published = &f
	}
	return q
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	lq := listQueryFrom(r)
	d := orgListData{Q: lq, Kinds: org.Kinds}
	p := s.page(r, q, q.T("企業・研究室", "Organizations"), "organizations", nil)
	res, err := s.Orgs.List(r.Context(), q.Actor, lq)
	status := http.StatusOK
	if err != nil {
		p.withError(err)
		status = httpx.Status(p.Error.Code)
	}
	d.Result = res
	d.Pager = pager{Query: r.URL.Query(), Page: res.Page, Pages: res.Pages()}
	ex := r.URL.Query()
	ex.Del("page")
	d.Export = ex.Encode()
	p.Data = d
	s.render(w, r, status, "org_list", p)
}
