// Package api serves the JSON API under /api/v1 and its OpenAPI 3.1
// description at /api/openapi.json. Anonymous callers read published, public
// fields only; everything else needs a session or an Authorization: Bearer
// API token, with the same permissions as the pages.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jobs"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/report"
	"mieruka/internal/search"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API description.
func OpenAPI() []byte { return openAPI }

// Server holds what the API needs.
type Server struct {
	DB             *store.DB
	Env            *httpx.Env
	Auth           *auth.Service
	Municipalities *municipality.Service
	Orgs           *org.Service
	Jobs           *jobs.Queue
	Reports        *report.Service
	Search         *search.Service
	Visits         *visit.Service
	Log            *slog.Logger
}

// Register adds the API routes: this is the API's permission table.
func (s *Server) Register(rt *httpx.Router) {
	h := func(method, pattern string, perm auth.Permission, fn func(http.ResponseWriter, *http.Request, *httpx.Req)) {
		rt.Handle(httpx.Route{Method: method, Pattern: pattern, Perm: perm, Kind: httpx.API, Handler: fn})
	}
	rt.Raw("GET /api/openapi.json", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(openAPI)
	}))
	h("GET", "/api/v1/municipalities", auth.PermPublic, s.municipalitiesList)
	h("GET", "/api/v1/me", auth.PermSignedIn, s.meShow)
	h("GET", "/api/v1/taxonomy", auth.PermPublic, s.taxonomyShow)
	h("PUT", "/api/v1/taxonomy/{facet}", auth.PermRegistryManage, s.taxonomyPut)
	h("DELETE", "/api/v1/taxonomy/{facet}/{term}", auth.PermRegistryManage, s.taxonomyDelete)

	h("GET", "/api/v1/organizations", auth.PermPublic, s.orgList)
	h("POST", "/api/v1/organizations", auth.PermRegistryEdit, s.orgCreate)
	h("GET", "/api/v1/organizations/{id}", auth.PermPublic, s.orgShow)
	h("PUT", "/api/v1/organizations/{id}", auth.PermRegistryEdit, s.orgUpdate)
	h("PUT", "/api/v1/organizations/{id}/draft", auth.PermOwnProfile, s.orgDraft)
	h("POST", "/api/v1/organizations/{id}/approve", auth.PermRegistryManage, s.orgApprove)
	h("POST", "/api/v1/organizations/{id}/reject", auth.PermRegistryManage, s.orgReject)
	h("POST", "/api/v1/organizations/{id}/publish", auth.PermRegistryManage, s.orgPublish)
	h("POST", "/api/v1/organizations/{id}/archive", auth.PermRegistryManage, s.orgArchive)
	h("POST", "/api/v1/organizations/{id}/restore", auth.PermRegistryManage, s.orgRestore)
	h("GET", "/api/v1/organizations/{id}/history", auth.PermRegistryRead, s.orgHistory)
	h("GET", "/api/v1/organizations/{id}/report.pdf", auth.PermPublic, s.orgReport)
	h("POST", "/api/v1/booklets", auth.PermRegistryManage, s.bookletCreate)
	h("GET", "/api/v1/jobs/{id}", auth.PermRegistryManage, s.jobShow)
	h("GET", "/api/v1/files/{id}", auth.PermRegistryManage, s.fileDownload)

	rt.Handle(httpx.Route{Method: "POST", Pattern: "/api/v1/imports/organizations", Perm: auth.PermRegistryManage, Kind: httpx.API, MaxBody: 64 << 20, Handler: s.importOrganizations})
	h("GET", "/api/v1/exports/organizations", auth.PermRegistryManage, s.exportOrganizations)

	h("GET", "/api/v1/corporations", auth.PermRegistryRead, s.corporationsSearch)
	h("GET", "/api/v1/corporations/{number}", auth.PermRegistryRead, s.corporationShow)
	h("POST", "/api/v1/corporations/sync", auth.PermRegistryManage, s.corporationsSync)

	h("GET", "/api/v1/search", auth.PermPublic, s.searchGet)
	h("POST", "/api/v1/match", auth.PermPublic, s.matchPost)
	h("POST", "/api/v1/joint-groups", auth.PermPublic, s.jointGroups)
	h("GET", "/api/v1/organizations/{id}/similar", auth.PermPublic, s.similarList)
	h("GET", "/api/v1/synonyms", auth.PermRegistryRead, s.synonymsList)
	h("PUT", "/api/v1/synonyms", auth.PermRegistryManage, s.synonymPut)
	h("DELETE", "/api/v1/synonyms/{canonical}", auth.PermRegistryManage, s.synonymDelete)

	h("GET", "/api/v1/users", auth.PermUsersManage, s.usersList)
	h("POST", "/api/v1/users", auth.PermUsersManage, s.userCreate)
	h("GET", "/api/v1/tokens", auth.PermSignedIn, s.tokensList)
	h("POST", "/api/v1/tokens", auth.PermSignedIn, s.tokenCreate)
	h("DELETE", "/api/v1/tokens/{id}", auth.PermSignedIn, s.tokenRevoke)
	s.registerVisits(rt)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *httpx.Req, err error) {
	httpx.Fail(s.Env, w, r, q, httpx.API, err)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf("見つかりません", "Not found")
	}
	return id, nil
}

func (s *Server) municipalitiesList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	list, err := s.Municipalities.List(r.Context())
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	type pub struct {
		Code       string `json:"code"`
		Name       string `json:"name"`
		NameEN     string `json:"name_en"`
		Prefecture string `json:"prefecture"`
	}
	out := []pub{}
	for _, m := range list {
		out = append(out, pub{m.Code, m.Name, m.NameEN, m.Prefecture})
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": out, "default": s.Env.DefaultMunicipality})
}

func (s *Server) meShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	httpx.JSON(w, http.StatusOK, map[string]any{"user": q.User, "municipality": q.Municipality.Code, "via": q.Via})
}
