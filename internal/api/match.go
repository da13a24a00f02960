package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/match"
	"mieruka/internal/search"
)

// matchError turns an unknown filter value into a 400 that names it.
func matchError(err error) error {
	var fe *match.FilterError
	if errors.As(err, &fe) {
		return &errs.Error{Code: errs.BadRequest, JA: fe.MessageJA(), EN: fe.Error(),
			Fields: []errs.FieldError{{Field: "filters." + fe.Filter, JA: fe.MessageJA(), EN: fe.Error()}}}
	}
	return err
}

func (s *Server) matchQuery(r *http.Request, q *httpx.Req, mq *match.Query) error {
	var fe errs.Fields
	switch mq.Kind {
	case "", match.KindSearch, match.KindRFQ, match.KindNeeds, match.KindPartner:
	default:
		fe.Add("kind", "kind は search, rfq, needs, partner のいずれかです", "kind is one of search, rfq, needs, partner")
	}
	if len([]rune(mq.Text)) > 10000 {
		fe.Add("text", "依頼文は10,000文字以内にしてください", "The text must be at most 10,000 characters")
	}
	if mq.Limit < 0 || mq.Limit > 200 {
		fe.Add("limit", "limit は1から200の間で指定してください", "limit must be between 1 and 200")
	}
	if mq.Offset < 0 || mq.Offset > 10000 {
		fe.Add("offset", "offset が範囲外です", "offset is out of range")
	}
	mq.Municipality = q.Actor.Municipality
	if mq.Lang == "" {
		mq.Lang = q.Lang
	}
	return fe.Err()
}

// searchGet is the directory search as GET parameters (the search box).
func (s *Server) searchGet(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	mq := match.Query{Kind: match.KindSearch, Text: v.Get("q"), Filters: match.Filters{
		Processes: v["process"], Materials: v["material"], Certifications: v["certification"], Cities: v["city"],
		JSIC: v["jsic"], Lot: v["lot"], Markets: v["market"], Kind: v.Get("kind")}}
	var fe errs.Fields
	for name, dst := range map[string]*int{"limit": &mq.Limit, "offset": &mq.Offset, "min_employees": &mq.Filters.MinEmployees, "max_employees": &mq.Filters.MaxEmployees} {
		if x := v.Get(name); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil {
				fe.Add(name, name+" は整数で指定してください", name+" must be an integer")
			}
			*dst = n
		}
	}
	if err := fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.runMatch(w, r, q, mq)
}

// matchPost ranks organizations for a request: a search, a buyer's RFQ, a
// development need or a partner search.
func (s *Server) matchPost(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var mq match.Query
	if err := httpx.DecodeJSON(r, &mq); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if mq.Kind == "" {
		mq.Kind = match.KindRFQ
	}
	s.runMatch(w, r, q, mq)
}

func (s *Server) runMatch(w http.ResponseWriter, r *http.Request, q *httpx.Req, mq match.Query) {
	if err := s.matchQuery(r, q, &mq); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Search.Engine.Search(r.Context(), mq)
	if err != nil {
		s.fail(w, r, q, matchError(err))
		return
	}
	if res.Hits == nil {
		res.Hits = []match.Hit{}
	}
	httpx.JSON(w, http.StatusOK, res)
}

// jointGroups proposes groups of companies that together cover every step
// of a request (共同受注).
func (s *Server) jointGroups(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var mq match.Query
	if err := httpx.DecodeJSON(r, &mq); err != nil {
		s.fail(w, r, q, err)
		return
	}
	mq.Kind = match.KindPartner
	if err := s.matchQuery(r, q, &mq); err != nil {
		s.fail(w, r, q, err)
		return
	}
	groups, err := s.Search.Engine.JointGroups(r.Context(), mq)
	if err != nil {
		s.fail(w, r, q, matchError(err))
		return
	}
	if groups == nil {
		groups = []match.Group{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"groups": groups})
}

// similarList lists organizations like one (似ている企業).
func (s *Server) similarList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, err := s.Orgs.Lookup(r.Context(), q.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	hits, ok := s.Search.Engine.Similar(o.ID, 10)
	if !ok {
		hits = []match.Hit{}
	}
	var out []match.Hit
	for _, h := range hits {
		if h.ID != o.ID {
			out = append(out, h)
		}
	}
	if out == nil {
		out = []match.Hit{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) synonymsList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	list, err := s.Search.Synonyms(r.Context(), q.Actor)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": list})
}

func (s *Server) synonymPut(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var sy search.Synonym
	if err := httpx.DecodeJSON(r, &sy); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Search.SaveSynonym(r.Context(), q.Actor, sy); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.synonymsList(w, r, q)
}

func (s *Server) synonymDelete(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if err := s.Search.DeleteSynonym(r.Context(), q.Actor, strings.TrimSpace(r.PathValue("canonical"))); err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
