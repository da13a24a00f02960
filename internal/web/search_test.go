package web

import (
	"strings"
	"testing"

	"mieruka/internal/directory"
	"mieruka/internal/match"
	"mieruka/internal/org"
)

// The facet links are written without html/template: every text must still
// be escaped, and the chosen value marked for eyes and screen readers.
func TestFacetLinksEscape(t *testing.T) {
	got := string(facetLinksHTML([]facetValue{
		{Label: `<script>alert("x")</script>`, Count: 3, URL: `/search?q=a&material="><img>`},
		{Label: "アルミ & 銅", Count: 12, URL: "/search?material=%E3%82%A2", Selected: true},
	}, "ja"))
	for _, bad := range []string{"<script>", `"><img>`, "& 銅"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q left unescaped in %s", bad, got)
		}
	}
	for _, want := range []string{
		`<li><a href="/search?q=a&amp;material=&#34;&gt;&lt;img&gt;">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <span class="n">3</span></a></li>`,
		`<a href="/search?material=%E3%82%A2" aria-current="true" class="on"><span class="visually-hidden">選択中: </span>アルミ &amp; 銅 <span class="n">12</span></a>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %s\n got %s", want, got)
		}
	}
	if en := string(facetLinksHTML([]facetValue{{Label: "x", Selected: true}}, "en")); !strings.Contains(en, "selected: ") {
		t.Errorf("English: %s", en)
	}
}

func TestCardOf(t *testing.T) {
	e := &directory.Entry{Organization: org.Organization{ID: 7, Kind: org.KindCompany, Profile: org.Profile{
		Name: "日野精工株式会社", NameEN: "Hino Seiko", JSICCode: "2424", Processes: []string{"切削加工", "アルマイト"},
		Address: org.Address{City: "日野市"}, PRText: "精密切削とアルマイト処理を一貫対応。"}}}
	h := match.Hit{Why: match.Explanation{Met: []string{"ISO9001 取得"},
		Matched: []match.FieldMatch{{Field: "processes", Item: 1}, {Field: "pr_text", Item: -1, Spans: []match.Span{{Start: 15, End: 30}}}}}}
	c := cardOf(e, h, "ja", "/m/132012")
	if c.URL != "/m/132012/companies/7" || c.Name != "日野精工株式会社" || !strings.HasSuffix(c.Sub, " · 日野市") || strings.HasPrefix(c.Sub, " · ") {
		t.Errorf("card %+v", c)
	}
	if len(c.Chips) != 2 || c.Chips[0].HL || !c.Chips[1].HL || c.Chips[1].Label != "アルマイト" {
		t.Errorf("chips %+v", c.Chips)
	}
	if !strings.Contains(string(c.Snippet), "<mark>アルマイト</mark>") || len(c.Met) != 1 {
		t.Errorf("snippet %q, met %v", c.Snippet, c.Met)
	}
	en := cardOf(e, h, "en", "")
	if en.URL != "/companies/7?lang=en" || en.Name != "Hino Seiko" {
		t.Errorf("English card %+v", en)
	}
	lab := &directory.Entry{Organization: org.Organization{ID: 9, Kind: org.KindLab, Profile: org.Profile{
		Name: "材料研究室", University: "日野台科学技術大学", ResearchTopics: []string{"トライボロジー"}, Address: org.Address{City: "八王子市"}}}}
	if c := cardOf(lab, match.Hit{}, "ja", ""); c.URL != "/labs/9" || c.Sub != "研究室 · 日野台科学技術大学 · 八王子市" || len(c.Chips) != 1 || c.Chips[0].HL {
		t.Errorf("lab card %+v", c)
	}
}
