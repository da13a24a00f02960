package match

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"ＭＣ加工":         "mc加工",
		"５軸加工":         "5軸加工",
		"ﾏｼﾆﾝｸﾞ":       "マシニング",
		"めっき":          "メッキ",
		"マシニングセンター":    "マシニングセンタ",
		"Φ0.3":         "φ0.3",
		"ø3":           "φ3",
		"±２０㎛":         "±20μm",
		"10㎜":          "10mm",
		"ＩＳＯ９００１":      "iso9001",
		"heat-treated": "heat treated",
		"研摩":           "研磨",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeOffsets(t *testing.T) {
	s := "ﾒｯｷ加工（ＳＵＳ３０４）と、レーザー切断"
	n := normalize(s)
	for i := range n.r {
		st, en := n.span(i, i+1)
		if st < 0 || en > len(s) || st > en {
			t.Fatalf("bad span %d %d", st, en)
		}
		if i > 0 && int(n.st[i]) < int(n.st[i-1]) {
			t.Fatalf("offsets not monotonic")
		}
	}
	// the whole normalised text maps back to the whole input
	st, en := n.span(0, len(n.r))
	if st != 0 || en != len(s) {
		t.Errorf("span of all = %d..%d, want 0..%d", st, en, len(s))
	}
}

func conceptsIn(s string) map[string]bool {
	n := normalize(s)
	out := map[string]bool{}
	scanTries(&n, []*trie{baseVocab.trie}, func(m mention) { out[baseVocab.concepts[m.c].key] = true })
	scanRegex(n.r, baseVocab.res, func(m mention) { out[baseVocab.concepts[m.c].key] = true })
	return out
}

func TestThesaurusVariants(t *testing.T) {
	cases := []struct{ text, key string }{
		{"陽極酸化処理", "proc:アルマイト"},
		{"アノダイズ", "proc:アルマイト"},
		{"anodizing", "proc:アルマイト"},
		{"MC加工", "proc:マシニング加工"},
		{"ﾏｼﾆﾝｸﾞｾﾝﾀｰ加工", "proc:マシニング加工"},
		{"ＳＵＳ", "mat:ステンレス"},
		{"SUS316L", "mat:ステンレス"},
		{"A5052", "mat:アルミ"},
		{"ワイヤ放電加工", "proc:ワイヤーカット"},
		{"ﾜｲﾔｰｶｯﾄ", "proc:ワイヤーカット"},
		{"５軸", "proc:5軸加工"},
		{"鍍金", "proc:めっき"},
		{"射出成型", "proc:樹脂射出成形"},
		{"インジェクション成形", "proc:樹脂射出成形"},
		{"硬質アルマイト", "spec:硬質アルマイト"},
		{"ISO 9001", "cert:ISO9001"},
		{"IATF16949", "cert:IATF16949"},
		{"stainless steel", "mat:ステンレス"},
		{"aluminium", "mat:アルミ"},
		{"sheet metal", "proc:板金加工"},
		{"wire EDM", "proc:ワイヤーカット"},
		{"S45C", "mat:鉄"},
		{"SKD11", "mat:工具鋼"},
		{"C3604", "mat:真鍮"},
		{"PEEK", "mat:エンプラ"},
		{"バレル研摩", "spec:バレル研磨"},
	}
	for _, c := range cases {
		got := conceptsIn(c.text)
		if !got[c.key] {
			ks := make([]string, 0, len(got))
			for k := range got {
				ks = append(ks, k)
			}
			t.Errorf("%q: want %s, got %v", c.text, c.key, ks)
		}
	}
	// katakana words do not match hiragana text, nor inside longer katakana words
	for _, s := range []string{"手がけてまいりました", "現物やポンチ絵から製作", "スピンドル"} {
		for k := range conceptsIn(s) {
			if strings.HasPrefix(k, "prod:") || k == "spec:ピン・ブッシュ" {
				t.Errorf("%q: spurious %s", s, k)
			}
		}
	}
}

func TestVocabularyCoversTaxonomy(t *testing.T) {
	for kind, labels := range map[string][]string{"proc": rawTax.Processes, "mat": rawTax.Materials, "cert": rawTax.Certifications,
		"lot": rawTax.Lots, "mkt": rawTax.Markets, "topic": rawTax.ResearchTopics, "spec": rawTax.Specialties} {
		for _, l := range labels {
			id, ok := baseVocab.byKey[kind+":"+l]
			if !ok {
				t.Errorf("taxonomy %s %q has no concept", kind, l)
				continue
			}
			if kind != "spec" && baseVocab.concepts[id].en == "" {
				t.Errorf("%s %q has no English name", kind, l)
			}
		}
	}
}

func search(t *testing.T, e *Engine, q Query) Result {
	t.Helper()
	res, err := e.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%q: %v", q.Text, err)
	}
	return res
}

func hitIDs(r Result, n int) []string {
	var out []string
	for i, h := range r.Hits {
		if i == n {
			break
		}
		out = append(out, h.ExternalID)
	}
	return out
}

func TestSynonymSearch(t *testing.T) {
	e := demoEngine(t)
	// the same request in two notations ranks the same docs first
	pairs := [][2]string{
		{"アルミの陽極酸化処理", "アルミのアルマイト"},
		{"５軸加工", "5軸加工"},
		{"ワイヤーカット", "ワイヤ放電加工"},
		{"ＳＵＳの溶接", "ステンレスの溶接"},
		{"ﾏｼﾆﾝｸﾞｾﾝﾀｰ加工 アルミ", "MC加工 アルミ"},
	}
	for _, p := range pairs {
		a := hitIDs(search(t, e, Query{Kind: KindRFQ, Text: p[0]}), 5)
		b := hitIDs(search(t, e, Query{Kind: KindRFQ, Text: p[1]}), 5)
		if strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%q → %v but %q → %v", p[0], a, p[1], b)
		}
	}
}

func TestUnderstanding(t *testing.T) {
	e := demoEngine(t)
	r := search(t, e, Query{Kind: KindRFQ, Municipality: DemoMunicipality,
		Text: "φ0.3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須。市内の会社に限ります。"})
	u := r.Understood
	if len(u.Certifications) != 1 || u.Certifications[0].Label != "ISO9001" || u.Certifications[0].Level != "required" {
		t.Errorf("certification: %+v", u.Certifications)
	}
	if len(u.Cities) != 1 || u.Cities[0].Label != "日野市" || u.Cities[0].Level != "required" {
		t.Errorf("cities: %+v", u.Cities)
	}
	if u.HoleMM != 0.3 || u.Quantity != 100 {
		t.Errorf("hole %v quantity %v", u.HoleMM, u.Quantity)
	}
	if len(u.Materials) == 0 || u.Materials[0].Label != "ステンレス" {
		t.Errorf("materials %+v", u.Materials)
	}
	if !strings.Contains(strings.Join(u.Notes, " "), "ISO9001必須") {
		t.Errorf("notes: %v", u.Notes)
	}
	for _, h := range r.Hits {
		d, _ := e.Doc(h.ID)
		if d.City != "日野市" {
			t.Errorf("%s in %s", h.ExternalID, d.City)
		}
		if !containsStr(d.Certifications, "ISO9001") {
			t.Errorf("%s without ISO9001", h.ExternalID)
		}
	}
	// exclusions and the sender's own business
	r = search(t, e, Query{Kind: KindRFQ, Text: "ｳﾁはﾌﾟﾚｽ屋です。ブラケット同士をスポットで組む工程を外に出したい。青梅とか町田は除外でお願いします"})
	u = r.Understood
	var excl []string
	for _, c := range u.Cities {
		if c.Level == "excluded" {
			excl = append(excl, c.Label)
		}
	}
	if strings.Join(excl, ",") != "青梅市,町田市" {
		t.Errorf("excluded cities %v", excl)
	}
	for _, p := range u.Processes {
		if p.Label == "プレス加工" {
			t.Errorf("the sender's own process read as wanted: %+v", u.Processes)
		}
	}
	// regions
	r = search(t, e, Query{Kind: KindRFQ, Text: "南多摩の会社に限ります。アルミの切削加工"})
	for _, h := range r.Hits {
		if !containsStr(regions["南多摩"], h.City) {
			t.Errorf("region: %s in %s", h.ExternalID, h.City)
		}
	}
	// English: "X is not acceptable", "must"
	r = search(t, e, Query{Kind: KindRFQ, Text: "Laser welding of SUS316L housings. TIG is not acceptable. 40 pcs."})
	u = r.Understood
	if len(u.Excluded) == 0 || u.Lang != "en" {
		t.Errorf("english: %+v", u)
	}
	if len(u.Lot) == 0 {
		t.Errorf("lot not read: %+v", u)
	}
}

func TestDocNegationAndPartners(t *testing.T) {
	e := New()
	docs := []Doc{
		{ID: 1, ExternalID: "X1", Kind: KindCompany, Name: "A", City: "日野市", Processes: []string{"めっき"}, Materials: []string{"鉄"},
			PRText: "無電解ニッケルめっきが得意です。※アルマイト処理は行っておりません。"},
		{ID: 2, ExternalID: "X2", Kind: KindCompany, Name: "B", City: "日野市", Processes: []string{"切削加工"}, Materials: []string{"アルミ"},
			PRText: "アルミ部品の削り出し。アルマイトなどの表面処理は協力会社と連携し一括手配します。"},
		{ID: 3, ExternalID: "X3", Kind: KindCompany, Name: "C", City: "日野市", Processes: []string{"アルマイト"}, Materials: []string{"アルミ"},
			PRText: "硬質アルマイト・白アルマイト。"},
	}
	if err := e.Build(docs); err != nil {
		t.Fatal(err)
	}
	r := search(t, e, Query{Kind: KindRFQ, Text: "アルミ部品のアルマイト処理"})
	ids := hitIDs(r, 3)
	if len(ids) == 0 || ids[0] != "X3" {
		t.Fatalf("want X3 first, got %v", ids)
	}
	for _, h := range r.Hits {
		if h.ExternalID == "X1" && h.Fit > 0 {
			t.Errorf("negated anodizing counted: %+v", h)
		}
		if h.ExternalID == "X2" && h.Fit >= 2 {
			t.Errorf("partner-made anodizing counted as in-house: %+v", h)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	e := demoEngine(t)
	for _, f := range []Filters{
		{Processes: []string{"量子テレポーテーション"}},
		{Materials: []string{"オリハルコン"}},
		{Certifications: []string{"ISO99999"}},
		{Cities: []string{"札幌市"}},
		{JSIC: []string{"xx"}},
		{Lot: []string{"大盛り"}},
		{Kind: "bank"},
	} {
		_, err := e.Search(context.Background(), Query{Text: "加工", Filters: f})
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%+v: want FilterError, got %v", f, err)
			continue
		}
		if fe.Filter == "" || fe.Value == "" || !strings.Contains(fe.MessageJA(), fe.Value) {
			t.Errorf("bad error %+v / %s", fe, fe.MessageJA())
		}
	}
	// known values through the thesaurus
	r, err := e.Search(context.Background(), Query{Text: "部品", Filters: Filters{Processes: []string{"陽極酸化"}, Cities: []string{"日野"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Hits {
		d, _ := e.Doc(h.ID)
		if d.City != "日野市" || !containsStr(d.Processes, "アルマイト") {
			t.Errorf("filter not applied: %s %s %v", h.ExternalID, d.City, d.Processes)
		}
	}
}

func TestBadInput(t *testing.T) {
	e := demoEngine(t)
	long := strings.Repeat("ステンレスの切削加工、", 1000)
	inputs := []string{"", " ", "。、！？…・", "🙂🔧⚙️", "'; DROP TABLE docs; --", ".*+?()[]{}|^$\\", "SUS304と  Stainless 鋼 と φ", long,
		"\x00\x01\x02", string([]byte{0xff, 0xfe, 0xfd}), "ｱｱｱｱｱｱ", "1×2×3×", "±±±", "市内市内", "必須必須必須", "NOT NOT NOT", "\"unclosed"}
	for _, s := range inputs {
		for _, k := range []QueryKind{KindSearch, KindRFQ, KindNeeds, KindPartner} {
			r, err := e.Search(context.Background(), Query{Kind: k, Text: s, Municipality: DemoMunicipality})
			if err != nil {
				t.Errorf("%q: %v", trunc(s), err)
			}
			if r.Hits == nil {
				t.Errorf("%q: nil hits", trunc(s))
			}
			if _, err := e.JointGroups(context.Background(), Query{Kind: k, Text: s}); err != nil {
				t.Errorf("joint %q: %v", trunc(s), err)
			}
		}
	}
	r := search(t, e, Query{Text: long})
	if len(r.Understood.Warnings) == 0 {
		t.Errorf("long query: no warning")
	}
	if _, err := e.Search(context.Background(), Query{Kind: "bogus", Text: "x"}); err == nil {
		t.Errorf("unknown kind accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Search(ctx, Query{Text: "めっき"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func trunc(s string) string {
	if len(s) > 30 {
		return s[:30] + "…"
	}
	return s
}

func TestSpansPointIntoFields(t *testing.T) {
	e := demoEngine(t)
	r := search(t, e, Query{Kind: KindRFQ, Text: "アルミ部品の陽極酸化処理（白）をお願いできる会社。試作5個から。"})
	if len(r.Hits) == 0 {
		t.Fatal("no hits")
	}
	checked := 0
	for _, h := range r.Hits[:3] {
		d, _ := e.Doc(h.ID)
		for _, fm := range h.Why.Matched {
			var text string
			switch fm.Field {
			case "pr_text":
				text = d.PRText
			case "processes":
				text = d.Processes[fm.Item]
			case "specialties":
				text = d.Specialties[fm.Item]
			case "materials":
				text = d.Materials[fm.Item]
			default:
				continue
			}
			for _, sp := range fm.Spans {
				if sp.Start < 0 || sp.End > len(text) || text[sp.Start:sp.End] != sp.Text || !utf8.ValidString(sp.Text) {
					t.Errorf("%s %s: bad span %+v", h.ExternalID, fm.Field, sp)
				}
				checked++
			}
		}
		if len(h.Why.Met) == 0 {
			t.Errorf("%s: no explanation", h.ExternalID)
		}
	}
	if checked == 0 {
		t.Errorf("no spans")
	}
}

func TestUpsertRemoveConcurrent(t *testing.T) {
	docs := loadDemo(t)
	e := New()
	if err := e.Build(docs[:200]); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			texts := []string{"めっき", "ステンレスの溶接", "研究室 AI", "アルミ 板金 試作"}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.Search(ctx, Query{Text: texts[(i+g)%len(texts)]}); err != nil {
					t.Error(err)
					return
				}
				e.Similar(docs[i%200].ID, 3)
			}
		}(g)
	}
	for i := 200; i < len(docs); i++ {
		if err := e.Upsert(docs[i]); err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 {
			if err := e.SetSynonyms(DemoMunicipality, []SynonymEntry{{Canonical: "めっき", Variants: []string{"テスト鍍金" + fmt.Sprint(i)}}}); err != nil {
				t.Fatal(err)
			}
		}
		if i%3 == 0 {
			e.Remove(docs[i-150].ID)
		}
	}
	close(stop)
	wg.Wait()
	// a replaced doc is found with its new text only
	d := docs[0]
	d.PRText = "唯一無二のホーン意匠設計"
	d.Processes = []string{"機械設計"}
	d.Specialties = nil
	if err := e.Upsert(d); err != nil {
		t.Fatal(err)
	}
	r := search(t, e, Query{Text: "ホーン意匠"})
	if len(r.Hits) == 0 || r.Hits[0].ID != d.ID {
		t.Errorf("upserted doc not found first: %v", hitIDs(r, 3))
	}
	if !e.Remove(d.ID) || e.Remove(d.ID) {
		t.Errorf("remove twice")
	}
	r = search(t, e, Query{Text: "ホーン意匠"})
	for _, h := range r.Hits {
		if h.ID == d.ID {
			t.Errorf("removed doc found")
		}
	}
}

func TestSetSynonyms(t *testing.T) {
	e := New()
	docs := []Doc{
		{ID: 1, ExternalID: "A", Municipality: "132128", Kind: KindCompany, Name: "A", City: "日野市", PRText: "当社はヒノマル仕上げの専門工場です。"},
		{ID: 2, ExternalID: "B", Municipality: "132012", Kind: KindCompany, Name: "B", City: "八王子市", PRText: "当社はヒノマル仕上げの専門工場です。"},
		{ID: 3, ExternalID: "C", Municipality: "132128", Kind: KindCompany, Name: "C", City: "日野市", Processes: []string{"バフ研磨"}},
	}
	if err := e.Build(docs); err != nil {
		t.Fatal(err)
	}
	// before: 「バフ研磨」 does not find A
	r := search(t, e, Query{Municipality: "132128", Kind: KindRFQ, Text: "バフ研磨をお願いしたい"})
	for _, h := range r.Hits {
		if h.ExternalID == "A" && h.Fit > 0 {
			t.Fatalf("A matched before synonyms: %+v", h)
		}
	}
	if err := e.SetSynonyms("132128", []SynonymEntry{{Canonical: "バフ研磨", Variants: []string{"ヒノマル仕上げ"}}}); err != nil {
		t.Fatal(err)
	}
	r = search(t, e, Query{Municipality: "132128", Kind: KindRFQ, Text: "バフ研磨をお願いしたい"})
	found := false
	for _, h := range r.Hits {
		if h.ExternalID == "A" && h.Fit > 0 {
			found = true
		}
		if h.ExternalID == "B" {
			t.Errorf("other municipality's doc returned")
		}
	}
	if !found {
		t.Errorf("A not found through the municipality's synonym: %v", hitIDs(r, 5))
	}
	// the query side honours them too
	r = search(t, e, Query{Municipality: "132128", Kind: KindRFQ, Text: "ヒノマル仕上げ"})
	if len(r.Hits) < 2 {
		t.Errorf("query synonym not applied: %v", hitIDs(r, 5))
	}
	// another municipality does not see them
	e2 := e.Synonyms("132012")
	if len(e2) != 0 {
		t.Errorf("synonyms leaked")
	}
	if err := e.SetSynonyms("132128", []SynonymEntry{{Canonical: ""}}); err == nil {
		t.Errorf("empty canonical accepted")
	}
	// a brand new term
	if err := e.SetSynonyms("132128", []SynonymEntry{{Canonical: "ひのまる", Variants: []string{"ヒノマル仕上げ", "HM仕上げ"}}}); err != nil {
		t.Fatal(err)
	}
	r = search(t, e, Query{Municipality: "132128", Text: "HM仕上げ"})
	if len(r.Hits) == 0 || r.Hits[0].ExternalID != "A" {
		t.Errorf("new term: %v", hitIDs(r, 3))
	}
}

func TestSimilarAndTaxonomy(t *testing.T) {
	e := demoEngine(t)
	docs := loadDemo(t)
	var anod Doc
	for _, d := range docs {
		if len(d.Processes) > 0 && d.Processes[0] == "アルマイト" {
			anod = d
			break
		}
	}
	hs, ok := e.Similar(anod.ID, 5)
	if !ok || len(hs) == 0 {
		t.Fatal("no similar")
	}
	for _, h := range hs[:2] {
		d, _ := e.Doc(h.ID)
		if !containsStr(d.Processes, "アルマイト") {
			t.Errorf("similar to an anodizer: %s %v", h.ExternalID, d.Processes)
		}
	}
	if _, ok := e.Similar(-5, 3); ok {
		t.Errorf("unknown id")
	}
	tx := e.Taxonomy()
	if len(tx.Processes) != 47 || len(tx.Materials) != 16 || len(tx.ResearchTopics) != 31 || tx.Processes[0].EN == "" {
		t.Errorf("taxonomy: %d %d %d", len(tx.Processes), len(tx.Materials), len(tx.ResearchTopics))
	}
}

func TestFacetsAndBrowse(t *testing.T) {
	e := demoEngine(t)
	r := search(t, e, Query{Kind: KindSearch, Text: "めっき"})
	if r.Total == 0 || len(r.Facets[FacetCity]) == 0 || len(r.Facets[FacetProcess]) == 0 {
		t.Fatalf("facets: total %d %v", r.Total, r.Facets)
	}
	n := 0
	for _, fc := range r.Facets[FacetKind] {
		n += fc.Count
	}
	if n != r.Total {
		t.Errorf("kind facet sums to %d, total %d", n, r.Total)
	}
	// empty text with a filter browses the directory
	r = search(t, e, Query{Filters: Filters{Cities: []string{"国立市"}}, Limit: 100})
	if r.Total == 0 || r.Total != len(r.Hits) {
		t.Errorf("browse: total %d hits %d", r.Total, len(r.Hits))
	}
	// empty text without filters: nothing
	r = search(t, e, Query{})
	if r.Total != 0 {
		t.Errorf("empty query matched %d", r.Total)
	}
}

func TestScore(t *testing.T) {
	qrels := Qrels{"Q1": {"a": 3, "b": 1, "c": 2}, "Q2": {"x": 1}}
	run := []RunLine{
		{QueryID: "Q1", DocID: "b", Rank: 1}, {QueryID: "Q1", DocID: "z", Rank: 2}, {QueryID: "Q1", DocID: "a", Rank: 3},
		{QueryID: "Q1", DocID: "b", Rank: 4}, // duplicate keeps its best rank
	}
	m := Score(run, qrels)
	dcg := 1/math.Log2(2) + 7/math.Log2(4)
	idcg := 7/math.Log2(2) + 3/math.Log2(3) + 1/math.Log2(4)
	want := (dcg / idcg) / 2 // Q2 missing from the run scores 0
	if math.Abs(m.NDCG10-want) > 1e-9 {
		t.Errorf("nDCG %v want %v", m.NDCG10, want)
	}
	if math.Abs(m.Recall20-(2.0/3)/2) > 1e-9 || math.Abs(m.MRR-0.5) > 1e-9 {
		t.Errorf("recall %v mrr %v", m.Recall20, m.MRR)
	}
}

// TestDevQuality keeps the measured quality from regressing (the values are
// deterministic). Floors sit below the current values.
func TestDevQuality(t *testing.T) {
	e := demoEngine(t)
	for _, c := range []struct {
		set   string
		floor float64
	}{{"dev", 0.93}, {"dev2", 0.85}} {
		qf, err := os.Open("../../bench/matching/testdata/queries-" + c.set + ".jsonl")
		if err != nil {
			t.Fatal(err)
		}
		qs, err := ReadQueries(qf)
		qf.Close()
		if err != nil {
			t.Fatal(err)
		}
		rf, _ := os.Open("../../bench/matching/testdata/qrels-" + c.set + ".jsonl")
		qrels, err := ReadQrels(rf)
		rf.Close()
		if err != nil {
			t.Fatal(err)
		}
		run, err := RunQueries(e, qs, 50)
		if err != nil {
			t.Fatal(err)
		}
		m := Score(run, qrels)
		t.Logf("%s: nDCG@10 %.3f R@20 %.3f MRR %.3f", c.set, m.NDCG10, m.Recall20, m.MRR)
		if m.NDCG10 < c.floor {
			t.Errorf("%s nDCG@10 %.3f below %.2f", c.set, m.NDCG10, c.floor)
		}
	}
}

func ExampleEngine_Search() {
	docs, _ := LoadDemoDir("../demo/data")
	e := New()
	_ = e.Build(docs)
	res, _ := e.Search(context.Background(), Query{
		Municipality: DemoMunicipality,
		Kind:         KindRFQ,
		Text:         "φ0.3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須。",
		Limit:        3,
	})
	fmt.Println(res.Understood.Notes[0])
	for _, h := range res.Hits {
		d, _ := e.Doc(h.ID)
		fmt.Println(h.Fit >= 2.5, d.Certifications[0], h.Why.Met[0])
	}
	// Output:
	// 主な工程を「微細加工」と解釈しました
	// true ISO9001 微細加工
	// true ISO9001 微細加工
	// true ISO9001 微細加工
}

// A doc located by its 地方公共団体コード alone is found by a city filter.
func TestCityFilterByCode(t *testing.T) {
	e := New()
	docs := []Doc{
		{ID: 1, ExternalID: "X1", Kind: KindCompany, Name: "A", CityCode: "132128", Processes: []string{"めっき"}},
		{ID: 2, ExternalID: "X2", Kind: KindCompany, Name: "B", City: "八王子市", Processes: []string{"めっき"}},
	}
	if err := e.Build(docs); err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(search(t, e, Query{Kind: KindSearch, Text: "めっき", Filters: Filters{Cities: []string{"日野市"}}}), 5); len(ids) != 1 || ids[0] != "X1" {
		t.Errorf("日野市 by code: %v", ids)
	}
}
