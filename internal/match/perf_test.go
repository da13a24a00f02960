package match

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
)

var (
	bigOnce sync.Once
	bigEng  *Engine
)

func bigEngine(b *testing.B) *Engine {
	bigOnce.Do(func() {
		n := 100000
		if s := os.Getenv("MATCH_BENCH_N"); s != "" {
			n, _ = strconv.Atoi(s)
		}
		docs := Synthesize(loadDemo(b), n, 42)
		bigEng = New()
		if err := bigEng.Build(docs); err != nil {
			b.Fatal(err)
		}
		WarmUp()
	})
	return bigEng
}

var benchTexts = []string{
	"φ0.3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須。",
	"アルミ部品の陽極酸化処理（白）をお願いできる会社はありますか。試作5個から。",
	"めっき 日野市",
	"テフロン（PTFE）とPOMの切削部品、小ロット。日野市内の会社が第一希望、近隣の市でも可",
	"1500×800のアルミベースプレートをマシニングで加工できる会社（大物対応）",
	"We need hermetic seam welding of thin-walled stainless sensor housings (SUS316L, 0.3-0.5 mm wall). TIG is not acceptable because of heat distortion, so the supplier must have laser welding in house. First batch 40 pcs, possibly 1,000 pcs/year later.",
	"射出成形品のそり・ひけをシミュレーションで事前に予測したい",
	"5軸加工 チタン",
}

func BenchmarkSearch(b *testing.B) {
	e := bigEngine(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := benchTexts[i%len(benchTexts)]
		if _, err := e.Search(ctx, Query{Kind: KindRFQ, Text: t, Municipality: DemoMunicipality}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchFree(b *testing.B) {
	e := bigEngine(b)
	f, _ := os.Open("../../bench/matching/testdata/queries-dev2.jsonl")
	qs, _ := ReadQueries(f)
	f.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		if _, err := e.Search(ctx, Query{Kind: KindSearch, Text: q.Text, Municipality: DemoMunicipality}); err != nil {
			b.Fatal(err)
		}
	}
}

func perfMix(b *testing.B) []Query {
	var out []Query
	for _, name := range []string{"queries-dev.jsonl", "queries-dev2.jsonl"} {
		f, _ := os.Open("../../bench/matching/testdata/" + name)
		qs, _ := ReadQueries(f)
		f.Close()
		for i, q := range qs {
			out = append(out, Query{Kind: KindSearch, Text: q.Text, Municipality: DemoMunicipality})
			out = append(out, Query{Kind: KindSearch, Text: q.Text, Municipality: DemoMunicipality,
				Filters: Filters{Cities: []string{"日野市", "八王子市"}, Lot: []string{[]string{"試作", "小ロット", "量産"}[i%3]}}})
			if q.Kind != "needs" {
				out = append(out, Query{Kind: KindRFQ, Text: q.Text, Municipality: DemoMunicipality})
			}
		}
	}
	return out
}

func BenchmarkPerfMix(b *testing.B) {
	e := bigEngine(b)
	qs := perfMix(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Search(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnderstandLong(b *testing.B) {
	f, _ := os.Open("../../bench/matching/testdata/queries-dev2.jsonl")
	qs, _ := ReadQueries(f)
	f.Close()
	an := &docAnalyzer{v: baseVocab, tries: []*trie{baseVocab.trie}}
	WarmUp()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		an.understand(Query{Kind: QueryKind(q.Kind), Text: q.Text}, "日野市")
	}
}

func BenchmarkBuild(b *testing.B) {
	n := 20000
	if s := os.Getenv("MATCH_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	docs := Synthesize(loadDemo(b), n, 42)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := New(Options{Workers: 1})
		if err := e.Build(docs); err != nil {
			b.Fatal(err)
		}
	}
}
