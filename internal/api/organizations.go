package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

func (s *Server) orgList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	lq := org.ListQuery{Q: v.Get("q"), Kind: org.Kind(v.Get("kind")), Status: org.Status(v.Get("status")),
		DraftStatus: org.DraftStatus(v.Get("draft_status")), JSIC: v.Get("jsic"), City: v.Get("city"),
		Facet: org.Facet(v.Get("facet")), Term: v.Get("term"), Sort: v.Get("sort")}
	var fe errs.Fields
	intParam := func(name string, dst *int) {
		if x := v.Get(name); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil {
				fe.Add(name, name+" は整数で指定してください", name+" must be an integer")
				return
			}
			*dst = n
		}
	}
	intParam("page", &lq.Page)
	intParam("per_page", &lq.PerPage)
	if x := v.Get("published"); x != "" {
		b, err := strconv.ParseBool(x)
		if err != nil {
			fe.Add("published", "published は true か false です", "published is true or false")
		} else {
			lq.Published = &b
		}
	}
	if err := fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Orgs.List(r.Context(), q.Actor, lq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": res.Items, "total": res.Total, "page": res.Page, "per_page": res.PerPage, "pages": res.Pages()})
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, err := s.Orgs.Lookup(r.Context(), q.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, o)
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var in org.NewOrganization
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	o, err := s.Orgs.Create(r.Context(), q.Actor, in)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/organizations/"+strconv.FormatInt(o.ID, 10))
	httpx.JSON(w, http.StatusCreated, o)
}

type versioned struct {
	Version *int `json:"version"`
}

func needVersion(v *int) error {
	if v == nil {
		return errs.Fields{{Field: "version", JA: "編集を始めたときの version を指定してください", EN: "Send the version you started editing from"}}.Err()
	}
	return nil
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	var in struct {
		versioned
		Profile *org.Profile `json:"profile"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(in.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if in.Profile == nil {
		s.fail(w, r, q, errs.Fields{{Field: "profile", JA: "profile を指定してください", EN: "Send the profile"}}.Err())
		return
	}
	o, err := s.Orgs.Update(r.Context(), q.Actor, id, *in.Version, *in.Profile)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, o)
}

func (s *Server) orgDraft(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	var in struct {
		versioned
		Profile *org.Profile `json:"profile"`
		Submit  bool         `json:"submit"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(in.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if in.Profile == nil {
		s.fail(w, r, q, errs.Fields{{Field: "profile", JA: "profile を指定してください", EN: "Send the profile"}}.Err())
		return
	}
	o, err := s.Orgs.SaveDraft(r.Context(), q.Actor, id, *in.Version, *in.Profile, in.Submit)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, o)
}

// orgStateChange decodes {"version": n, …} and runs a state change.
func (s *Server) orgStateChange(w http.ResponseWriter, r *http.Request, q *httpx.Req, extra any, do func(id int64, version int) (org.Organization, error)) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := struct {
		versioned
		Note      string `json:"note"`
		Reason    string `json:"reason"`
		Published *bool  `json:"published"`
	}{}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := needVersion(in.Version); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if p, ok := extra.(*stateArgs); ok {
		p.note, p.reason, p.published = in.Note, in.Reason, in.Published
	}
	o, err := do(id, *in.Version)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, o)
}

type stateArgs struct {
	note, reason string
	published    *bool
}

func (s *Server) orgApprove(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgStateChange(w, r, q, nil, func(id int64, v int) (org.Organization, error) { return s.Orgs.Approve(r.Context(), q.Actor, id, v) })
}

func (s *Server) orgReject(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	a := &stateArgs{}
	s.orgStateChange(w, r, q, a, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.Reject(r.Context(), q.Actor, id, v, a.note)
	})
}

func (s *Server) orgPublish(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	a := &stateArgs{}
	s.orgStateChange(w, r, q, a, func(id int64, v int) (org.Organization, error) {
		if a.published == nil {
			return org.Organization{}, errs.Fields{{Field: "published", JA: "published（true / false）を指定してください", EN: "Send published (true or false)"}}.Err()
		}
		return s.Orgs.SetPublished(r.Context(), q.Actor, id, v, *a.published)
	})
}

func (s *Server) orgArchive(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	a := &stateArgs{}
	s.orgStateChange(w, r, q, a, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.Archive(r.Context(), q.Actor, id, v, a.reason)
	})
}

func (s *Server) orgRestore(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgStateChange(w, r, q, nil, func(id int64, v int) (org.Organization, error) { return s.Orgs.Restore(r.Context(), q.Actor, id, v) })
}

func (s *Server) orgHistory(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	h, err := s.Orgs.History(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if h == nil {
		h = []auth.HistoryEntry{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": h})
}
