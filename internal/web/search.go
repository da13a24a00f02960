package web

import (
	"errors"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"mieruka/internal/directory"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/match"
	"mieruka/internal/org"
)

// The directory's search: the matching engine over the site's published
// companies and labs, with facets, highlights, sorting by relevance or by
// 五十音, and paging — all state in the query string, so every result page
// can be shared and bookmarked, and nothing needs JavaScript.

const searchPerPage = 20

// facetParams are the URL parameters of the facets, in display order, with
// the engine's facet names.
var facetParams = []struct {
	param, facet string
	tax          org.Facet
}{
	{"process", "process", org.FacetProcess},
	{"material", "material", org.FacetMaterial},
	{"certification", "certification", org.FacetCertification},
	{"lot", "lot", org.FacetLot},
	{"jsic", "jsic", ""},
	{"city", "city", ""},
	{"topic", "topic", org.FacetResearchTopic},
}

// sizeBands are the company-size choices (employees).
var sizeBands = []struct {
	key, ja, en string
	min, max    int
}{
	{"s", "〜9人", "1–9", 1, 9},
	{"m", "10〜49人", "10–49", 10, 49},
	{"l", "50〜299人", "50–299", 50, 299},
	{"xl", "300人〜", "300+", 300, 0},
}

type facetValue struct {
	Value, Label string
	Count        int
	Selected     bool
	URL          string
}

// facetLinksHTML writes a facet's values as list items of links that add or
// remove the value. With a hundred and more links it is most of a search
// page, so it is written here rather than through html/template (twice as
// fast); every text is escaped, and the URLs come from url.Values.Encode.
func facetLinksHTML(values []facetValue, lang string) template.HTML {
	selected := pick(lang, "選択中:", "selected:")
	var b strings.Builder
	b.Grow(len(values) * 160)
	for _, v := range values {
		b.WriteString(`<li><a href="`)
		b.WriteString(html.EscapeString(v.URL))
		if v.Selected {
			b.WriteString(`" aria-current="true" class="on"><span class="visually-hidden">`)
			b.WriteString(selected)
			b.WriteString(` </span>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString(html.EscapeString(v.Label))
		b.WriteString(` <span class="n">`)
		b.WriteString(strconv.Itoa(v.Count))
		b.WriteString(`</span></a></li>`)
	}
	return template.HTML(b.String())
}

type facetGroup struct {
	Param, Label string
	Values       []facetValue
}

// searchCard is one hit as the page shows it, worked out in Go so that the
// template only prints fields (a search page renders twice as fast as with
// the lookups done in the template).
type searchCard struct {
	URL, Name, Sub string
	Snippet        template.HTML
	Chips          []searchChip // processes, or a lab's research fields
	Met, Unmet     []string     // the conditions it meets, and those it does not
}

// searchChip is a process or research field; HL when the request matched it.
type searchChip struct {
	Label string
	HL    bool
}

type searchData struct {
	Q, Kind, Sort, Size string
	Total               int
	Cards               []searchCard
	Facets              []facetGroup
	Sizes               []facetValue
	Kinds               []facetValue
	Notes               []string
	Pager               pager
	Empty               bool // no words and no filters: nothing was asked
	Selected            []facetValue
	Clear               string
}

func (s *Server) searchShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.cached(w, r, q, sn.Version()+s.Search.Version(), func() (int, string, *Page, error) {
		d, err := s.search(r, q, sn)
		p := s.publicPage(r, q, q.T("検索", "Search"), "search", d)
		p.Public.NoIndex = true
		if err != nil {
			var fe *match.FilterError
			if errors.As(err, &fe) {
				return http.StatusBadRequest, "public_search", p.withError(errs.New(errs.BadRequest, fe.MessageJA(), fe.Error())), nil
			}
			return 0, "", nil, err
		}
		if d.Q != "" {
			p.Title = d.Q + " | " + p.Title
		}
		return http.StatusOK, "public_search", p, nil
	})
}

func (s *Server) search(r *http.Request, q *httpx.Req, sn *directory.Snapshot) (*searchData, error) {
	v := r.URL.Query()
	d := &searchData{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), Sort: v.Get("sort"), Size: v.Get("size")}
	if d.Kind != "company" && d.Kind != "lab" {
		d.Kind = ""
	}
	if d.Sort != "kana" {
		d.Sort = ""
	}
	f := match.Filters{Processes: v["process"], Materials: v["material"], Certifications: v["certification"], Lot: v["lot"],
		JSIC: v["jsic"], Cities: v["city"], Kind: d.Kind}
	for _, b := range sizeBands {
		if b.key == d.Size {
			f.MinEmployees, f.MaxEmployees = b.min, b.max
		}
	}
	topics := v["topic"]
	page := atoiDefault(v.Get("page"), 1)
	d.Empty = d.Q == "" && f.IsZero() && len(topics) == 0
	d.Clear = sitePathQ(q, "/search", url.Values{"q": {d.Q}})
	if d.Empty {
		d.Pager = pager{Query: v, Page: 1}
		return d, nil
	}
	mq := match.Query{Municipality: q.Site.Code, Kind: match.KindSearch, Text: d.Q, Filters: f, Limit: searchPerPage, Offset: (page - 1) * searchPerPage, Lang: q.Lang}
	if d.Sort == "kana" || len(topics) > 0 {
		mq.Limit, mq.Offset = 1000, 0
	}
	res, err := s.Search.Engine.Search(r.Context(), mq)
	if err != nil {
		return d, err
	}
	hits := res.Hits
	total := res.Total
	if len(topics) > 0 {
		// Research fields are a lab's own list: filter here.
		var kept []match.Hit
		for _, h := range hits {
			if e, ok := sn.Get(h.ID); ok && hasAll(e.Profile.ResearchTopics, topics) {
				kept = append(kept, h)
			}
		}
		hits, total = kept, len(kept)
	}
	if d.Sort == "kana" {
		sort.SliceStable(hits, func(i, j int) bool {
			a, _ := sn.Get(hits[i].ID)
			b, _ := sn.Get(hits[j].ID)
			return a != nil && b != nil && sortKey(a) < sortKey(b)
		})
	}
	if mq.Offset == 0 && mq.Limit == 1000 {
		from := min((page-1)*searchPerPage, len(hits))
		hits = hits[from:min(from+searchPerPage, len(hits))]
	}
	d.Total = total
	for _, h := range hits {
		e, ok := sn.Get(h.ID)
		if !ok {
			continue // published a moment ago, not in this snapshot yet
		}
		d.Cards = append(d.Cards, cardOf(e, h, q.Lang, publicPrefix(q)))
	}
	if q.Lang == "en" {
		d.Notes = res.Understood.NotesEN
	} else {
		d.Notes = res.Understood.Notes
	}
	d.Facets = s.facetGroups(q, v, res.Facets)
	for _, g := range d.Facets {
		for _, fv := range g.Values {
			if fv.Selected {
				d.Selected = append(d.Selected, fv)
			}
		}
	}
	for _, b := range sizeBands {
		d.Sizes = append(d.Sizes, facetValue{Value: b.key, Label: q.T(b.ja, b.en), Selected: b.key == d.Size, URL: toggleURL(q, v, "size", b.key, true)})
	}
	for _, k := range []struct{ v, ja, en string }{{"company", "企業", "Companies"}, {"lab", "研究室", "Labs"}} {
		n := 0
		for _, c := range res.Facets["kind"] {
			if c.Value == k.v {
				n = c.Count
			}
		}
		d.Kinds = append(d.Kinds, facetValue{Value: k.v, Label: q.T(k.ja, k.en), Count: n, Selected: d.Kind == k.v, URL: toggleURL(q, v, "kind", k.v, true)})
	}
	pages := (total + searchPerPage - 1) / searchPerPage
	d.Pager = pager{Query: v, Page: page, Pages: pages}
	return d, nil
}

func hasAll(list, want []string) bool {
	for _, w := range want {
		found := false
		for _, x := range list {
			found = found || x == w
		}
		if !found {
			return false
		}
	}
	return true
}

func sortKey(e *directory.Entry) string {
	reading := e.Profile.NameKana
	if reading == "" {
		reading = jp.StripLegalForm(e.Profile.Name)
	}
	return jp.SortKey(reading)
}

// facetGroups turns the engine's counts into links that add or remove a
// value from the query.
func (s *Server) facetGroups(q *httpx.Req, v url.Values, counts map[string][]match.FacetCount) []facetGroup {
	var out []facetGroup
	for _, fp := range facetParams {
		g := facetGroup{Param: fp.param, Label: facetTitle(fp.param, q.Lang)}
		selected := map[string]bool{}
		for _, x := range v[fp.param] {
			selected[x] = true
		}
		for _, c := range counts[fp.facet] {
			label := c.Value
			switch {
			case fp.tax != "":
				label = defaultTermLabel(fp.tax, c.Value, q.Lang)
			case fp.param == "jsic":
				label = jsicLabel(c.Value, q.Lang)
			}
			g.Values = append(g.Values, facetValue{Value: c.Value, Label: label, Count: c.Count, Selected: selected[c.Value], URL: toggleURL(q, v, fp.param, c.Value, false)})
		}
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func facetTitle(param, lang string) string {
	ja := map[string]string{"process": "加工技術", "material": "材料", "certification": "認証", "lot": "ロット", "jsic": "業種", "city": "所在地", "topic": "研究分野"}
	en := map[string]string{"process": "Process", "material": "Material", "certification": "Certification", "lot": "Lot size", "jsic": "Industry", "city": "City", "topic": "Research field"}
	if lang == "en" {
		return en[param]
	}
	return ja[param]
}

// toggleURL is the search URL with value added to or removed from param
// (single: the value replaces any other), on page 1.
func toggleURL(q *httpx.Req, v url.Values, param, value string, single bool) string {
	n := url.Values{}
	for k, vs := range v {
		n[k] = append([]string(nil), vs...)
	}
	n.Del("page")
	has := false
	var keep []string
	for _, x := range n[param] {
		if x == value {
			has = true
		} else {
			keep = append(keep, x)
		}
	}
	switch {
	case has:
		n[param] = keep
	case single:
		n[param] = []string{value}
	default:
		n[param] = append(keep, value)
	}
	if len(n[param]) == 0 {
		n.Del(param)
	}
	return sitePathQ(q, "/search", n)
}

func sitePathQ(q *httpx.Req, path string, v url.Values) string {
	if q.Lang == "en" {
		v = cloneValues(v)
		v.Set("lang", "en")
	}
	prefix := publicPrefix(q)
	if e := v.Encode(); e != "" {
		return prefix + path + "?" + e
	}
	return prefix + path
}

// publicPrefix is what the site's public URLs start with: nothing for the
// default municipality, /m/{code} for the others.
func publicPrefix(q *httpx.Req) string {
	if q.Site.Code != q.DefaultSite {
		return "/m/" + q.Site.Code
	}
	return ""
}

// jsicLabel is the name of a JSIC code in the page's language.
func jsicLabel(code, lang string) string {
	if j, ok := jp.LookupJSIC(code); ok {
		if lang == "en" && j.NameEN != "" {
			return j.NameEN
		}
		return j.Name
	}
	return code
}

func pick(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}

func cloneValues(v url.Values) url.Values {
	n := url.Values{}
	for k, vs := range v {
		n[k] = append([]string(nil), vs...)
	}
	return n
}

// cardOf marks what matched: list items, and a snippet of the running text
// around the first match with every match in it highlighted.
func cardOf(e *directory.Entry, h match.Hit, lang, prefix string) searchCard {
	p := &e.Profile
	c := searchCard{Name: p.DisplayName(lang), Met: h.Why.Met, Unmet: h.Why.Unmet}
	c.URL = prefix + orgPath(string(e.Kind), strconv.FormatInt(e.ID, 10))
	var sub []string
	items, field, facet := p.Processes, "processes", org.FacetProcess
	if e.Kind == org.KindLab {
		sub = append(sub, pick(lang, "研究室", "Lab"), p.University)
		items, field, facet = p.ResearchTopics, "research_topics", org.FacetResearchTopic
	} else if p.JSICCode != "" {
		sub = append(sub, jsicLabel(p.JSICCode, lang))
	}
	if lang == "en" {
		c.URL += "?lang=en"
	}
	c.Sub = strings.Join(append(sub, p.Address.City), " · ")
	for i, x := range items {
		chip := searchChip{Label: defaultTermLabel(facet, x, lang)}
		for _, m := range h.Why.Matched {
			chip.HL = chip.HL || (m.Field == field && m.Item == i)
		}
		c.Chips = append(c.Chips, chip)
	}
	for _, field := range []string{"pr_text", "seeds_text", "strengths", "catch_phrase"} {
		for _, m := range h.Why.Matched {
			if m.Field == field && len(m.Spans) > 0 {
				var text string
				switch field {
				case "pr_text":
					text = e.Profile.PRText
				case "seeds_text":
					text = e.Profile.SeedsText
				case "strengths":
					text = e.Profile.Strengths
				default:
					text = e.Profile.CatchPhrase
				}
				c.Snippet = snippet(text, m.Spans, 45)
				return c
			}
		}
	}
	text := e.Profile.CatchPhrase
	if text == "" {
		text = e.Profile.PRText
	}
	if text == "" {
		text = e.Profile.SeedsText
	}
	c.Snippet = template.HTML(template.HTMLEscapeString(trimForMeta(text, 90)))
	return c
}

// snippet cuts text around the first span (about width characters either
// side) and wraps every span inside in <mark>.
func snippet(text string, spans []match.Span, width int) template.HTML {
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	first := spans[0].Start
	if first < 0 || first >= len(text) || !utf8.RuneStart(text[first]) {
		return template.HTML(template.HTMLEscapeString(trimForMeta(text, 90)))
	}
	runesBefore := []rune(text[:first])
	from := 0
	if len(runesBefore) > width {
		from = len(string(runesBefore[:len(runesBefore)-width]))
	}
	rest := []rune(text[first:])
	to := len(text)
	if len(rest) > 2*width {
		to = first + len(string(rest[:2*width]))
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, sp := range spans {
		if sp.Start < pos || sp.End > to || sp.End <= sp.Start || !utf8.RuneStart(text[sp.Start]) || (sp.End < len(text) && !utf8.RuneStart(text[sp.End])) {
			continue // not on this text's characters (it changed since the index saw it)
		}
		b.WriteString(template.HTMLEscapeString(text[pos:sp.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[sp.Start:sp.End]))
		b.WriteString("</mark>")
		pos = sp.End
	}
	b.WriteString(template.HTMLEscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}
