package web

import (
	"net/http"
	"net/url"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
)

// The public company introduction site (市内企業紹介サイト). The default
// municipality's pages are at unqualified URLs; every municipality's are
// also under /m/{municipality}/.

// registerPublic adds the public pages, once plain and once under /m/CODE.
func (s *Server) registerPublic(rt *httpx.Router) {
	for _, prefix := range []string{"", "/m/{municipality}"} {
		page := func(method, pattern string, h func(http.ResponseWriter, *http.Request, *httpx.Req)) {
			rt.Handle(httpx.Route{Method: method, Pattern: prefix + pattern, Perm: auth.PermPublic, Kind: httpx.Page, Handler: h})
		}
		page("GET", "/{$}", s.homeShow)
		page("GET", "/search", s.searchShow)
		page("GET", "/browse/kana", s.browseKana)
		page("GET", "/browse/process", s.browseProcess)
		page("GET", "/browse/industry", s.browseIndustry)
		page("GET", "/browse/labs", s.browseLabs)
		page("GET", "/companies/{id}", s.publicOrgShow)
		page("GET", "/labs/{id}", s.publicOrgShow)
		page("GET", "/companies/{id}/report.pdf", s.reportDownload)
		page("GET", "/labs/{id}/report.pdf", s.reportDownload)
		page("POST", "/companies/{id}/inquiry", s.inquirySubmit)
		page("POST", "/labs/{id}/inquiry", s.inquirySubmit)
		page("GET", "/companies/{id}/inquiry/sent", s.inquirySent)
		page("GET", "/labs/{id}/inquiry/sent", s.inquirySent)
		page("GET", "/images/{id}", s.imageShow)
		page("GET", "/sitemap.xml", s.sitemap)
	}
}

// publicPage is a page of the directory: its header, canonical URL and
// language alternates.
func (s *Server) publicPage(r *http.Request, q *httpx.Req, title, nav string, data any) *Page {
	p := s.page(r, q, title, nav, data)
	p.Public = &PublicMeta{Prefix: publicPrefix(q), Type: "website", SiteName: q.Site.DisplayName(q.Lang) + " " + q.T("市内企業紹介サイト", "local industry directory"),
		Alternates: map[string]string{}}
	canon := *r.URL
	v := canon.Query()
	v.Del("lang")
	v.Del("municipality")
	canon.RawQuery = v.Encode()
	ja := s.BaseURL + canon.RequestURI()
	v.Set("lang", "en")
	canon.RawQuery = v.Encode()
	en := s.BaseURL + canon.RequestURI()
	p.Public.Alternates["ja"], p.Public.Alternates["en"] = ja, en
	p.Public.Canonical = ja
	if q.Lang == "en" {
		p.Public.Canonical = en
	}
	return p
}

// sitePath prefixes a public path with the page's municipality.
func sitePath(p *Page, path string) string {
	if p.Public == nil {
		return path
	}
	return p.Public.Prefix + path
}

// orgPath is an organization's public page.
func orgPath(kind, id string) string {
	if kind == "lab" {
		return "/labs/" + id
	}
	return "/companies/" + id
}

func queryEscape(s string) string { return url.QueryEscape(s) }

func trimForMeta(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
