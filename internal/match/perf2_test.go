package match

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"
)

func TestPerfBreakdown(t *testing.T) {
	if os.Getenv("MATCH_BENCH_N") == "" {
		t.Skip()
	}
	e := bigEngine(&testing.B{})
	f, _ := os.Open("../../bench/matching/testdata/queries-dev2.jsonl")
	qs, _ := ReadQueries(f)
	f2, _ := os.Open("../../bench/matching/testdata/queries-dev.jsonl")
	qs2, _ := ReadQueries(f2)
	qs = append(qs, qs2...)
	type row struct {
		id               string
		und, rank, total time.Duration
		cands            int
	}
	var rows []row
	for _, q := range qs {
		qq := Query{Kind: KindSearch, Text: q.Text, Municipality: DemoMunicipality}
		e.Search(context.Background(), qq) // warm
		t0 := time.Now()
		an := e.analyzer(qq.Municipality)
		a := an.understand(qq, "日野市")
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
	sort.Slice(rows, func(i, j int) bool { return rows[i].total > rows[j].total })
	for _, r := range rows[:15] {
		t.Logf("%s und=%v rank=%v total=%v cands=%d", r.id, r.und, r.rank, r.total, r.cands)
	}
}
