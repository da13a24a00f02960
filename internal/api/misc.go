package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/nta"
	"mieruka/internal/org"
)

func (s *Server) taxonomyShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	t, err := s.Orgs.Taxonomy(r.Context(), q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"municipality_code": q.Actor.Municipality, "facets": t.Facets})
}

func (s *Server) taxonomyPut(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var t org.Term
	if err := httpx.DecodeJSON(r, &t); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Orgs.SaveTerm(r.Context(), q.Actor, org.Facet(r.PathValue("facet")), t); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.taxonomyShow(w, r, q)
}

func (s *Server) taxonomyDelete(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if err := s.Orgs.DeleteTerm(r.Context(), q.Actor, org.Facet(r.PathValue("facet")), r.PathValue("term")); err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// importOrganizations takes the file as the request body; ?format= or the
// Content-Type names its format, ?dry_run=true only checks it.
func (s *Server) importOrganizations(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	f := org.Format(r.URL.Query().Get("format"))
	if f == "" {
		switch ct := r.Header.Get("Content-Type"); {
		case ct == "text/csv" || len(ct) > 8 && ct[:8] == "text/csv":
			f = org.FormatCSV
		case ct == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
			f = org.FormatXLSX
		case ct == "application/x-ndjson" || ct == "application/jsonl":
			f = org.FormatJSONL
		}
	}
	if f != org.FormatCSV && f != org.FormatXLSX && f != org.FormatJSONL {
		s.fail(w, r, q, errs.Fields{{Field: "format", JA: "format は csv, xlsx, jsonl のいずれかです", EN: "format is one of csv, xlsx, jsonl"}}.Err())
		return
	}
	dry, _ := strconv.ParseBool(r.URL.Query().Get("dry_run"))
	start := time.Now()
	rep, err := s.Orgs.Import(r.Context(), q.Actor, r.Body, f, org.ImportOptions{DryRun: dry})
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if !dry {
		if _, err := org.RecordImport(r.Context(), s.DB, q.Actor, q.Actor.Municipality, rep.Record("api."+string(f), start)); err != nil {
			s.Log.Error("record import", "error", err)
		}
	}
	httpx.JSON(w, http.StatusOK, rep)
}

func (s *Server) exportOrganizations(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	f := org.Format(r.URL.Query().Get("format"))
	if f == "" {
		f = org.FormatJSONL
	}
	if !slices.Contains(org.Formats, f) {
		s.fail(w, r, q, errs.Fields{{Field: "format", JA: "format は csv, xlsx, jsonl のいずれかです", EN: "format is one of csv, xlsx, jsonl"}}.Err())
		return
	}
	v := r.URL.Query()
	lq := org.ListQuery{Q: v.Get("q"), Kind: org.Kind(v.Get("kind")), Status: org.Status(v.Get("status"))}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="organizations-%s%s"`, q.Actor.Municipality, f.Ext()))
	if _, err := s.Orgs.Export(r.Context(), q.Actor, w, f, lq); err != nil {
		s.Log.Error("export", "error", err)
	}
}

func (s *Server) corporationsSearch(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	v := r.URL.Query()
	limit, _ := strconv.Atoi(v.Get("limit"))
	if v.Get("q") == "" {
		s.fail(w, r, q, errs.Fields{{Field: "q", JA: "q に法人番号か名称を指定してください", EN: "Send a corporate number or name in q"}}.Err())
		return
	}
	hits, err := nta.Search(r.Context(), s.DB, v.Get("q"), v.Get("prefecture"), limit)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": hits})
}

func (s *Server) corporationShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	c, err := nta.Get(r.Context(), s.DB, r.PathValue("number"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, c)
}

func (s *Server) corporationsSync(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	rep, err := nta.Sync(r.Context(), s.DB, s.Orgs, q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, rep)
}

func (s *Server) usersList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	us, err := s.Auth.ListUsers(r.Context(), q.Actor)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if us == nil {
		us = []auth.User{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": us})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var in struct {
		Email          string    `json:"email"`
		Name           string    `json:"name"`
		Role           auth.Role `json:"role"`
		OrganizationID int64     `json:"organization_id"`
		Password       string    `json:"password"`
		Lang           string    `json:"lang"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	u, pw, err := s.Auth.CreateUser(r.Context(), q.Actor, auth.NewUser{Email: in.Email, Name: in.Name, Role: in.Role, OrganizationID: in.OrganizationID, Password: in.Password, Lang: in.Lang})
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	out := map[string]any{"user": u}
	if in.Password == "" {
		out["one_time_password"] = pw
	}
	httpx.JSON(w, http.StatusCreated, out)
}

func (s *Server) tokensList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ts, err := s.Auth.ListTokens(r.Context(), q.Actor, q.Actor.UserID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if ts == nil {
		ts = []auth.Token{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": ts})
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	secret, t, err := s.Auth.CreateToken(r.Context(), q.Actor, q.Actor.UserID, in.Name)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Auth.RevokeToken(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
