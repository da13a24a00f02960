package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/match"
	"mieruka/internal/search"
)

// The synonyms page: the municipality's own words for the matching engine
// (社内の呼び方, 地域の言い方, 新しい技術の名前). An entry applies at once,
// without a restart, and only in this municipality. A "try" box shows how
// the engine reads a word, before and after.

type synonymKind struct {
	Value, Label string
	Selected     bool
}

type synonymsData struct {
	List  []search.Synonym
	Kinds []synonymKind
	Form  search.Synonym
	Try   string
	Read  []match.Term
	Tried bool
}

func synonymKindLabel(k, lang string) string {
	ja := map[string]string{"": "語句（種類を問わない）", "process": "加工技術", "specialty": "得意技術", "material": "材料", "certification": "認証", "lot": "ロット", "market": "市場・用途", "topic": "研究分野", "equipment": "設備", "product": "製品"}
	en := map[string]string{"": "Any term", "process": "Process", "specialty": "Specialty", "material": "Material", "certification": "Certification", "lot": "Lot size", "market": "Market", "topic": "Research field", "equipment": "Equipment", "product": "Product"}
	if lang == "en" {
		return en[k]
	}
	return ja[k]
}

func (s *Server) synonymsShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderSynonyms(w, r, q, search.Synonym{}, http.StatusOK, nil)
}

func (s *Server) renderSynonyms(w http.ResponseWriter, r *http.Request, q *httpx.Req, form search.Synonym, status int, err error) {
	list, lerr := s.Search.Synonyms(r.Context(), q.Actor)
	if lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	d := synonymsData{List: list, Form: form, Try: strings.TrimSpace(r.URL.Query().Get("try"))}
	for _, k := range search.SynonymKinds {
		d.Kinds = append(d.Kinds, synonymKind{Value: k, Label: synonymKindLabel(k, q.Lang), Selected: k == form.Kind})
	}
	if d.Try != "" && len([]rune(d.Try)) <= 200 {
		res, err := s.Search.Engine.Search(r.Context(), match.Query{Municipality: q.Actor.Municipality, Kind: match.KindSearch, Text: d.Try, Limit: 1, NoFacets: true, NoHighlight: true})
		if err == nil {
			u := res.Understood
			for _, l := range [][]match.Term{u.Processes, u.Materials, u.Certifications, u.Topics, u.Markets} {
				d.Read = append(d.Read, l...)
			}
		}
		d.Tried = true
	}
	s.render(w, r, status, "synonyms", s.page(r, q, q.T("同義語（マッチング）", "Synonyms (matching)"), "taxonomy", d).withError(err))
}

func (s *Server) synonymSave(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sy := search.Synonym{Canonical: r.PostFormValue("canonical"), Variants: []string{r.PostFormValue("variants")}, Kind: r.PostFormValue("kind")}
	if err := s.Search.SaveSynonym(r.Context(), q.Actor, sy); err != nil {
		s.renderSynonyms(w, r, q, sy, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	c := strings.TrimSpace(sy.Canonical)
	s.redirect(w, r, "/staff/synonyms?try="+queryEscape(c), q.T("「"+c+"」の同義語を保存しました。すぐに検索に使われます", "Saved the synonyms of "+c+"; search uses them now"))
}

func (s *Server) synonymDelete(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	c := r.PostFormValue("canonical")
	if err := s.Search.DeleteSynonym(r.Context(), q.Actor, c); err != nil {
		s.renderSynonyms(w, r, q, search.Synonym{}, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	s.redirect(w, r, "/staff/synonyms", q.T("「"+c+"」を削除しました", "Deleted "+c))
}
