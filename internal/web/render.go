package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/directory"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/match"
	"mieruka/internal/org"
	"mieruka/internal/visit"
)

// templates holds each page's template in Japanese and English.
type templates struct {
	pages map[string]map[string]*template.Template // lang → page → template
}

func funcs(lang string, st *staticFiles) template.FuncMap {
	return template.FuncMap{
		"t":          func(ja, en string) string { return pick(lang, ja, en) },
		"lp":         func() string { return pick(lang, "（", " (") }, // parentheses around a count or a reading
		"rp":         func() string { return pick(lang, "）", ")") },
		"asset":      st.URL,
		"facetLinks": func(values []facetValue) template.HTML { return facetLinksHTML(values, lang) },
		"date": func(t any) string {
			tm, ok := asTime(t)
			if !ok {
				return ""
			}
			tm = tm.In(jp.JST)
			if lang == "en" {
				return tm.Format("2 Jan 2006")
			}
			return jp.FormatDateBoth(tm)
		},
		"datetime": func(t any) string {
			tm, ok := asTime(t)
			if !ok {
				return ""
			}
			tm = tm.In(jp.JST)
			if lang == "en" {
				return tm.Format("2 Jan 2006 15:04")
			}
			return tm.Format("2006年1月2日 15:04") + "（" + jp.FormatWareki(tm) + "）"
		},
		"year": func(y int) string {
			if y == 0 {
				return ""
			}
			if lang == "en" {
				return strconv.Itoa(y)
			}
			return strconv.Itoa(y) + "年（" + jp.WarekiYear(y) + "）"
		},
		"yen": func(n int64) string {
			if n == 0 {
				return ""
			}
			if lang == "en" {
				return "¥" + groupDigits(n)
			}
			if n%10000 == 0 {
				return groupDigits(n/10000) + "万円"
			}
			return groupDigits(n) + "円"
		},
		"num":   func(n int) string { return groupDigits(int64(n)) },
		"kind":  func(k org.Kind) string { return org.KindLabel(k, lang) },
		"role":  func(r auth.Role) string { return r.Label(lang) },
		"facet": func(f org.Facet) string { return org.FacetLabel(f, lang) },
		"join":  func(list []string) string { return strings.Join(list, pick(lang, "、", ", ")) },
		"lines": func(list []string) string { return strings.Join(list, "\n") },
		"paras": paragraphs,
		"add":   func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"has":        slices.Contains[[]string],
		"query":      queryWith,
		"visLabel":   func(v org.Visibility) string { return visibilityLabel(v, lang) },
		"groupLabel": func(g org.FieldGroup) string { return groupLabel(g, lang) },
		"json": func(v any) string {
			b, _ := json.MarshalIndent(v, "", "  ")
			return string(b)
		},
		"termSet": termSetOf,
		"homeOf":  homeFor,
		"mailState": func(id int64, status, err string) map[string]any {
			return map[string]any{"ID": id, "Status": status, "Error": err}
		},
		// cardsOf makes the cards of a list of organizations the way search
		// results show them (without the matches).
		"cardsOf": func(p *Page, items []*directory.Entry) []searchCard {
			out := make([]searchCard, 0, len(items))
			for _, e := range items {
				out = append(out, cardOf(e, match.Hit{}, lang, sitePath(p, "")))
			}
			return out
		},
		"jsicName": func(code string) string { return jsicLabel(code, lang) },
		"pct": func(n, total int) int {
			if total == 0 {
				return 0
			}
			return n * 100 / total
		},
		"urlq":      url.QueryEscape,
		"synkind":   func(k string) string { return synonymKindLabel(k, lang) },
		"termLabel": func(facet, term string) string { return defaultTermLabel(org.Facet(facet), term, lang) },
		"browseTitle": func(mode string) string {
			ja := map[string]string{"kana": "五十音から探す", "process": "加工技術から探す", "industry": "業種から探す", "labs": "研究室から探す"}
			en := map[string]string{"kana": "By name (五十音)", "process": "By process", "industry": "By industry", "labs": "University labs by field"}
			if lang == "en" {
				return en[mode]
			}
			return ja[mode]
		},
		"fy":        func(y int) string { return visit.FiscalYearLabel(y, lang) },
		"mb":        func(n int64) string { return fmt.Sprintf("%.1f", float64(n)/1e6) },
		"profileOf": func(lang string, p org.Profile) map[string]any { return map[string]any{"Lang": lang, "P": p} },
		"changesOf": func(lang string, c []fieldChange) map[string]any { return map[string]any{"Lang": lang, "Changes": c} },
		"action":    func(a string) string { return actionLabel(a, lang) },
		"jsic": func(code string) string { // the code and its name
			if name := jsicLabel(code, lang); name != code {
				return code + " " + name
			}
			return code
		},
	}
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, !t.IsZero()
	}
	return time.Time{}, false
}

func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// paragraphs turns text with blank-line breaks into <p> elements, escaping it.
func paragraphs(s string) template.HTML {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(template.HTMLEscapeString(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

// queryWith returns the current query string with key set to value (or
// removed when value is ""), for sort links and paging.
func queryWith(v url.Values, kv ...any) string {
	q := url.Values{}
	for k, vs := range v {
		q[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		val := fmt.Sprint(kv[i+1])
		if val == "" {
			q.Del(k)
		} else {
			q.Set(k, val)
		}
	}
	if e := q.Encode(); e != "" {
		return "?" + e
	}
	return "?"
}

func visibilityLabel(v org.Visibility, lang string) string {
	ja := map[org.Visibility]string{org.Public: "一般公開", org.Partners: "登録事業者に公開", org.Staff: "職員のみ"}
	en := map[org.Visibility]string{org.Public: "Public", org.Partners: "Registered partners", org.Staff: "Staff only"}
	if lang == "en" {
		return en[v]
	}
	return ja[v]
}

func groupLabel(g org.FieldGroup, lang string) string {
	ja := map[org.FieldGroup]string{org.GroupScale: "規模（設立・従業員数・資本金）", org.GroupContact: "連絡先", org.GroupCapabilities: "技術・設備・製品", org.GroupPR: "PR", org.GroupStrengths: "専門家による強みの分析", org.GroupResearch: "研究シーズ"}
	en := map[org.FieldGroup]string{org.GroupScale: "Scale (founded, employees, capital)", org.GroupContact: "Contacts", org.GroupCapabilities: "Capabilities, equipment, products", org.GroupPR: "PR", org.GroupStrengths: "Expert's assessment of strengths", org.GroupResearch: "Research seeds"}
	if lang == "en" {
		return en[g]
	}
	return ja[g]
}

func parseTemplates(st *staticFiles) (*templates, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(sub, "*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]map[string]*template.Template{}}
	for _, lang := range []string{"ja", "en"} {
		base, err := template.New("base.html").Funcs(funcs(lang, st)).ParseFS(sub, "base.html", "partials_*.html")
		if err != nil {
			return nil, err
		}
		t.pages[lang] = map[string]*template.Template{}
		for _, n := range names {
			if n == "base.html" || strings.HasPrefix(n, "partials_") {
				continue
			}
			c, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := c.ParseFS(sub, n); err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			t.pages[lang][strings.TrimSuffix(path.Base(n), ".html")] = c
		}
	}
	return t, nil
}

// Page is what every page template receives.
type Page struct {
	Title  string
	Req    *httpx.Req
	Lang   string
	Path   string
	Query  url.Values
	Nav    string // active navigation entry
	Flash  string
	Error  *errs.Error
	Fields map[string]errs.FieldError
	Data   any
	// Staff, Member tell the layout which navigation to show.
	Staff, Manage, Admin, Member bool
	Version                      string
	// Public pages of the directory site have their own header and meta.
	Public *PublicMeta
}

// PublicMeta is what a public page tells search engines and social sites.
type PublicMeta struct {
	Prefix      string // "" for the default municipality, "/m/CODE" otherwise
	Canonical   string // absolute URL of this page in this language
	Alternates  map[string]string
	Description string
	Image       string // absolute URL for og:image
	Type        string // og:type
	JSONLD      any    // schema.org data, or nil
	NoIndex     bool
	SiteName    string
}

// FieldError returns the message for a form field in the page's language.
func (p *Page) FieldError(field string) string {
	if e, ok := p.Fields[field]; ok {
		if p.Lang == "en" {
			return e.EN
		}
		return e.JA
	}
	return ""
}

// HasErrorPrefix reports whether any field under prefix has an error.
func (p *Page) HasErrorPrefix(prefix string) bool {
	for k := range p.Fields {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func (s *Server) page(r *http.Request, q *httpx.Req, title, nav string, data any) *Page {
	p := &Page{Title: title, Req: q, Lang: q.Lang, Path: r.URL.Path, Query: r.URL.Query(), Nav: nav, Data: data, Version: s.Version}
	p.Staff = q.Actor.Can(auth.PermRegistryRead)
	p.Manage = q.Actor.Can(auth.PermRegistryManage)
	p.Admin = q.Actor.Can(auth.PermUsersManage)
	p.Member = q.Actor.Can(auth.PermOwnProfile)
	return p
}

// withError attaches an error to the page, with its field messages.
func (p *Page) withError(err error) *Page {
	if err == nil {
		return p
	}
	e := httpx.Normalize(err)
	p.Error = e
	p.Fields = map[string]errs.FieldError{}
	for _, f := range e.Fields {
		if _, dup := p.Fields[f.Field]; !dup {
			p.Fields[f.Field] = f
		}
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	if c, err := r.Cookie(flashCookie); err == nil && p.Flash == "" {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = v
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	}
	body, err := s.execute(name, p)
	if err != nil {
		s.Log.Error("render", "template", name, "error", err)
		http.Error(w, "500 template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// execute renders a page template.
func (s *Server) execute(name string, p *Page) ([]byte, error) {
	t, ok := s.tmpl.pages[p.Lang][name]
	if !ok {
		panic("web: no template " + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base.html", p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

const flashCookie = "mieruka_flash"

// redirect sends the browser to target after a successful form, with a
// message shown on the next page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, e *errs.Error) {
	if q == nil {
		q = &httpx.Req{Lang: "ja"}
	}
	p := s.page(r, q, q.T("エラー", "Error"), "", nil).withError(e)
	s.render(w, r, status, "error", p)
}

// fail shows an error page for an error a handler cannot show in its form.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *httpx.Req, err error) {
	httpx.Fail(s.Env, w, r, q, httpx.Page, err)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf("ページが見つかりません", "Page not found")
	}
	return id, nil
}

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	return n
}

// termSet is what the "checks" partial draws: one vocabulary as checkboxes.
type termSet struct {
	Name     string
	Facet    org.Facet
	Terms    []org.Term
	Selected []string
	Unknown  []string // selected values the taxonomy does not have (shown so nothing is lost)
	Error    string
	Lang     string
}

func termSetOf(p *Page, name, facet string, selected []string) termSet {
	ts := termSet{Name: name, Facet: org.Facet(facet), Selected: selected, Error: p.FieldError(name), Lang: p.Lang}
	if f, ok := p.Data.(*profileForm); ok {
		ts.Terms = f.Terms(ts.Facet)
	}
	known := map[string]bool{}
	for _, t := range ts.Terms {
		known[t.Term] = true
	}
	for _, sel := range selected {
		if !known[sel] {
			ts.Unknown = append(ts.Unknown, sel)
		}
	}
	return ts
}

// defaultLabels are the English labels of the shipped taxonomy, for public
// pages (a municipality's own terms show as written).
var defaultLabels = func() map[org.Facet]map[string]string {
	out := map[org.Facet]map[string]string{}
	for f, terms := range org.DefaultTaxonomy() {
		out[f] = map[string]string{}
		for _, t := range terms {
			out[f][t.Term] = t.EN
		}
	}
	return out
}()

func defaultTermLabel(f org.Facet, term, lang string) string {
	if lang == "en" {
		if en := defaultLabels[f][term]; en != "" {
			return en
		}
	}
	return term
}
