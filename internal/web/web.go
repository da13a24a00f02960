// Package web serves mieruka's HTML pages: the staff UI, the members' own
// pages and (for now) a small public landing page. Handlers are one per file,
// named noun_verb.go; templates are in templates/, one per page, rendered in
// Japanese or English from the same source ({{t "日本語" "English"}}).
package web

import (
	"embed"
	"log/slog"
	"net/http"
	"runtime"

	"mieruka/internal/auth"
	"mieruka/internal/directory"
	"mieruka/internal/httpx"
	"mieruka/internal/image"
	"mieruka/internal/inquiry"
	"mieruka/internal/jobs"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/report"
	"mieruka/internal/search"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

// Server holds what the pages need.
type Server struct {
	DB             *store.DB
	Env            *httpx.Env
	Auth           *auth.Service
	Municipalities *municipality.Service
	Orgs           *org.Service
	Jobs           *jobs.Queue
	Images         *image.Store
	Reports        *report.Service
	Visits         *visit.Service
	Directory      *directory.Service
	Inquiries      *inquiry.Service
	Search         *search.Service
	Log            *slog.Logger
	BaseURL        string
	Version        string

	tmpl   *templates
	static *staticFiles
	pages  *pageCache
}

// Init parses templates and prepares static files.
func (s *Server) Init() error {
	st, err := loadStatic()
	if err != nil {
		return err
	}
	s.static = st
	t, err := parseTemplates(st)
	if err != nil {
		return err
	}
	s.tmpl = t
	s.pages = newPageCache(2000, runtime.GOMAXPROCS(0))
	s.Env.RenderError = s.renderError
	return nil
}

// Register adds the pages to the router: this is the pages' permission table.
func (s *Server) Register(rt *httpx.Router) {
	page := func(method, pattern string, perm auth.Permission, h func(http.ResponseWriter, *http.Request, *httpx.Req)) {
		rt.Handle(httpx.Route{Method: method, Pattern: pattern, Perm: perm, Kind: httpx.Page, Handler: h})
	}
	rt.Raw("GET /static/", s.static)
	rt.Raw("GET /healthz", http.HandlerFunc(s.healthz))
	rt.Raw("GET /robots.txt", http.HandlerFunc(s.robots))

	s.registerPublic(rt)
	page("GET", "/lang", auth.PermPublic, s.langSet)
	rt.Handle(httpx.Route{Method: "GET", Pattern: "/login", Perm: auth.PermPublic, Kind: httpx.Page, AllowPasswordChange: true, Handler: s.loginShow})
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/login", Perm: auth.PermPublic, Kind: httpx.Page, AllowPasswordChange: true, Handler: s.loginSubmit})
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/logout", Perm: auth.PermSignedIn, Kind: httpx.Page, AllowPasswordChange: true, Handler: s.logoutSubmit})
	rt.Handle(httpx.Route{Method: "GET", Pattern: "/password", Perm: auth.PermSignedIn, Kind: httpx.Page, AllowPasswordChange: true, Handler: s.passwordShow})
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/password", Perm: auth.PermSignedIn, Kind: httpx.Page, AllowPasswordChange: true, Handler: s.passwordSubmit})

	page("GET", "/staff", auth.PermRegistryRead, s.dashboardShow)
	page("GET", "/staff/organizations", auth.PermRegistryRead, s.orgList)
	page("GET", "/staff/organizations/new", auth.PermRegistryEdit, s.orgNew)
	page("POST", "/staff/organizations", auth.PermRegistryEdit, s.orgCreate)
	page("GET", "/staff/organizations/{id}", auth.PermRegistryRead, s.orgShow)
	page("GET", "/staff/organizations/{id}/edit", auth.PermRegistryEdit, s.orgEdit)
	page("POST", "/staff/organizations/{id}", auth.PermRegistryEdit, s.orgUpdate)
	page("GET", "/staff/organizations/{id}/history", auth.PermRegistryRead, s.orgHistory)
	page("GET", "/staff/organizations/{id}/report.pdf", auth.PermRegistryRead, s.reportDownload)
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/staff/organizations/{id}/images", Perm: auth.PermRegistryEdit, Kind: httpx.Page, MaxBody: 16 << 20, Handler: s.orgImageUpload})
	page("POST", "/staff/organizations/{id}/approve", auth.PermRegistryManage, s.orgApprove)
	page("POST", "/staff/organizations/{id}/reject", auth.PermRegistryManage, s.orgReject)
	page("POST", "/staff/organizations/{id}/publish", auth.PermRegistryManage, s.orgPublish)
	page("POST", "/staff/organizations/{id}/archive", auth.PermRegistryManage, s.orgArchive)
	page("POST", "/staff/organizations/{id}/restore", auth.PermRegistryManage, s.orgRestore)
	page("GET", "/staff/approvals", auth.PermRegistryRead, s.approvalsList)
	page("GET", "/staff/inquiries", auth.PermRegistryRead, s.inquiriesList)
	page("POST", "/staff/organizations/{id}/feature", auth.PermRegistryManage, s.orgFeature)
	page("GET", "/staff/corporations", auth.PermRegistryRead, s.corporationsSearch)
	page("POST", "/staff/corporations/sync", auth.PermRegistryManage, s.corporationsSync)
	page("GET", "/staff/imports", auth.PermRegistryManage, s.importsShow)
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/staff/imports", Perm: auth.PermRegistryManage, Kind: httpx.Page, MaxBody: 64 << 20, Handler: s.importSubmit})
	page("GET", "/staff/export", auth.PermRegistryManage, s.exportDownload)
	page("GET", "/staff/match", auth.PermRegistryRead, s.matchShow)
	page("POST", "/staff/match", auth.PermRegistryRead, s.matchRun)
	page("GET", "/staff/synonyms", auth.PermRegistryRead, s.synonymsShow)
	page("POST", "/staff/synonyms", auth.PermRegistryManage, s.synonymSave)
	page("POST", "/staff/synonyms/delete", auth.PermRegistryManage, s.synonymDelete)
	page("GET", "/staff/taxonomy", auth.PermRegistryRead, s.taxonomyShow)
	page("POST", "/staff/taxonomy", auth.PermRegistryManage, s.taxonomySave)
	page("POST", "/staff/taxonomy/delete", auth.PermRegistryManage, s.taxonomyDelete)
	page("GET", "/staff/users", auth.PermUsersManage, s.usersList)
	page("GET", "/staff/settings", auth.PermUsersManage, s.settingsShow)
	page("POST", "/staff/settings", auth.PermUsersManage, s.settingsSave)
	page("POST", "/staff/users", auth.PermUsersManage, s.userCreate)
	page("POST", "/staff/users/{id}/reset", auth.PermUsersManage, s.userReset)
	page("POST", "/staff/users/{id}/disable", auth.PermUsersManage, s.userDisable)
	page("GET", "/staff/booklets", auth.PermRegistryManage, s.bookletsShow)
	page("POST", "/staff/booklets", auth.PermRegistryManage, s.bookletCreate)
	page("GET", "/staff/files/{id}", auth.PermRegistryManage, s.fileDownload)
	page("GET", "/staff/jobs", auth.PermRegistryManage, s.jobsList)
	page("POST", "/staff/jobs/{id}/retry", auth.PermRegistryManage, s.jobRetry)

	page("GET", "/account/tokens", auth.PermSignedIn, s.tokensList)
	page("POST", "/account/tokens", auth.PermSignedIn, s.tokenCreate)
	page("POST", "/account/tokens/{id}/revoke", auth.PermSignedIn, s.tokenRevoke)

	page("GET", "/my", auth.PermOwnProfile, s.myShow)
	page("GET", "/my/edit", auth.PermOwnProfile, s.myEdit)
	page("POST", "/my", auth.PermOwnProfile, s.mySave)
	rt.Handle(httpx.Route{Method: "POST", Pattern: "/my/images", Perm: auth.PermOwnProfile, Kind: httpx.Page, MaxBody: 16 << 20, Handler: s.myImageUpload})
	s.registerVisits(rt)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Ping(r.Context()); err != nil {
		s.Log.Error("health check", "error", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nDisallow: /staff/\nDisallow: /my\nDisallow: /account/\nDisallow: /api/\nDisallow: /login\nDisallow: /search\n\nSitemap: " + s.BaseURL + "/sitemap.xml\n"))
}

//go:embed templates
var templateFS embed.FS
