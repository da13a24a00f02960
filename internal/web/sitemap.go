package web

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/jp"
)

// sitemap lists every public page of the site's municipality, each with its
// English alternate, for search engines.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	prefix := publicPrefix(q)
	type link struct {
		Rel      string `xml:"rel,attr"`
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
		Links   []link `xml:"xhtml:link"`
	}
	var urls []url
	add := func(path, sep, lastmod string) {
		ja := s.BaseURL + prefix + path
		en := ja + sep + "lang=en"
		alt := []link{{"alternate", "ja", ja}, {"alternate", "en", en}}
		urls = append(urls, url{Loc: ja, LastMod: lastmod, Links: alt}, url{Loc: en, LastMod: lastmod, Links: alt})
	}
	add("/", "?", "")
	add("/browse/kana", "?", "")
	add("/browse/process", "?", "")
	add("/browse/industry", "?", "")
	add("/browse/labs", "?", "")
	for _, row := range gojuonRows {
		add("/browse/kana?row="+queryEscape(row), "&", "")
	}
	for _, c := range sn.ByProcess {
		add("/browse/process?term="+queryEscape(c.Key), "&", "")
	}
	for _, c := range sn.ByIndustry {
		add("/browse/industry?code="+c.Key, "&", "")
	}
	for _, c := range sn.ByTopic {
		add("/browse/labs?field="+queryEscape(c.Key), "&", "")
	}
	for _, e := range sn.All {
		add(orgPath(string(e.Kind), strconv.FormatInt(e.ID, 10)), "?", e.UpdatedAt.In(jp.JST).Format("2006-01-02"))
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=600")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Encode(struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		XHTML   string   `xml:"xmlns:xhtml,attr"`
		URLs    []url    `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml", URLs: urls})
}
