package match

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"
)

// BenchmarkSlowestQueries prints, for the 15 slowest dev queries on the
// synthetic corpus (MATCH_BENCH_N organizations, default 100,000), how long
// reading the request and ranking took and how many candidates were scored.
func BenchmarkSlowestQueries(b *testing.B) {
	e := bigEngine(b)
	var qs []EvalQuery
	for _, name := range []string{"queries-dev2.jsonl", "queries-dev.jsonl"} {
		f, err := os.Open("../../bench/matching/testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		q, err := ReadQueries(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		qs = append(qs, q...)
	}
	type row struct {
		id               string
		und, rank, total time.Duration
		cands            int
	}
	var rows []row
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows = rows[:0]
		for _, q := range qs {
			qq := Query{Kind: KindSearch, Text: q.Text, Municipality: DemoMunicipality}
			t0 := time.Now()
			a := e.analyzer(qq.Municipality).understand(qq, "日野市")
			t1 := time.Now()
			rf, _ := e.resolveFilters(qq.Filters)
			sc := e.getScratch()
			c := e.rank(context.Background(), sc, a, qq, rf, 20, nil)
			e.accPool.Put(sc)
			t2 := time.Now()
			e.Search(context.Background(), qq)
			t3 := time.Now()
			rows = append(rows, row{q.ID, t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), len(c)})
		}
	}
	b.StopTimer()
	sort.Slice(rows, func(i, j int) bool { return rows[i].total > rows[j].total })
	for _, r := range rows[:min(15, len(rows))] {
		b.Logf("%s understand=%v rank=%v search=%v candidates=%d", r.id, r.und, r.rank, r.total, r.cands)
	}
}
