package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

type taxonomyData struct {
	Tax    *org.Taxonomy
	Facets []org.Facet
	Facet  org.Facet
}

func (s *Server) taxonomyShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderTaxonomy(w, r, q, http.StatusOK, nil)
}

func (s *Server) renderTaxonomy(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, err error) {
	tax, terr := s.Orgs.Taxonomy(r.Context(), q.Actor.Municipality)
	if terr != nil {
		s.fail(w, r, q, terr)
		return
	}
	facet := org.Facet(r.URL.Query().Get("facet"))
	if !org.ValidFacet(facet) {
		facet = org.FacetProcess
	}
	d := taxonomyData{Tax: tax, Facets: org.Facets, Facet: facet}
	s.render(w, r, status, "taxonomy", s.page(r, q, q.T("分類（加工技術・材料・認証など）", "Taxonomy"), "taxonomy", d).withError(err))
}

func (s *Server) taxonomySave(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	f := org.Facet(r.PostFormValue("facet"))
	t := org.Term{Term: r.PostFormValue("term"), EN: r.PostFormValue("en"), Position: formInt(r, "position")}
	if err := s.Orgs.SaveTerm(r.Context(), q.Actor, f, t); err != nil {
		r.URL.RawQuery = "facet=" + string(f)
		s.renderTaxonomy(w, r, q, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	s.redirect(w, r, "/staff/taxonomy?facet="+string(f), q.T("「"+strings.TrimSpace(t.Term)+"」を保存しました", "Saved "+strings.TrimSpace(t.Term)))
}

func (s *Server) taxonomyDelete(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	f := org.Facet(r.PostFormValue("facet"))
	term := r.PostFormValue("term")
	if err := s.Orgs.DeleteTerm(r.Context(), q.Actor, f, term); err != nil {
		r.URL.RawQuery = "facet=" + string(f)
		s.renderTaxonomy(w, r, q, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	s.redirect(w, r, "/staff/taxonomy?facet="+string(f), q.T("「"+term+"」を削除しました", "Deleted "+term))
}
