package main

import (
	"context"

	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"mieruka/bench/matching/baseline"
	"mieruka/internal/match"
)

// PerfResult holds the figures of one system in the speed benchmark.
type PerfResult struct {
	Name      string
	Build     time.Duration
	MemoryMB  float64
	Latencies map[string][]time.Duration // per query type
	CPU       map[string]time.Duration   // process CPU time per query, per type
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(p*float64(len(s))+0.5) - 1
	if k < 0 {
		k = 0
	}
	if k >= len(s) {
		k = len(s) - 1
	}
	return s[k]
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

type perfQuery struct {
	text   string
	kind   match.QueryKind
	cities []string
	lot    []string
}

// perfQueries builds the query mix: the dev query texts (short taxonomy-like
// and long realistic ones, Japanese and English) plus short directory
// searches.
func perfQueries(td string) (free, filtered, rfq []perfQuery) {
	var texts []string
	var rfqTexts []string
	for _, name := range []string{"queries-dev.jsonl", "queries-dev2.jsonl"} {
		f, err := os.Open(filepath.Join(td, name))
		if err != nil {
			continue
		}
		qs, _ := match.ReadQueries(f)
		f.Close()
		for _, q := range qs {
			texts = append(texts, q.Text)
			if q.Kind == "rfq" || q.Kind == "partner" {
				rfqTexts = append(rfqTexts, q.Text)
			}
		}
	}
	short := []string{"アルマイト", "5軸加工 チタン", "SUS304 レーザー溶接", "めっき 日野市", "anodizing aluminium", "精密板金 試作",
		"ﾜｲﾔｰｶｯﾄ", "射出成形 金型", "基板実装 SMT", "熱処理 高周波", "ばね", "three-axis milling stainless", "ゴム 成形 防振", "CAE 構造解析",
		"研究室 パワーエレクトロニクス", "バフ研磨 真鍮"}
	texts = append(texts, short...)
	cities := []string{"日野市", "八王子市", "立川市", "府中市", "昭島市", "国立市", "多摩市", "稲城市", "青梅市", "町田市"}
	lots := []string{"試作", "小ロット", "量産"}
	r := rand.New(rand.NewSource(7))
	for _, t := range texts {
		free = append(free, perfQuery{text: t, kind: match.KindSearch})
		filtered = append(filtered, perfQuery{text: t, kind: match.KindSearch,
			cities: []string{cities[r.Intn(len(cities))], cities[r.Intn(len(cities))]}, lot: []string{lots[r.Intn(len(lots))]}})
	}
	for _, t := range rfqTexts {
		rfq = append(rfq, perfQuery{text: t, kind: match.KindRFQ})
	}
	return
}

func perfBench(n, perKind int, dataDir, td string) error {
	fmt.Printf("speed benchmark: %d synthetic organizations, GOMAXPROCS=%d, %s\n", n, runtime.GOMAXPROCS(0), runtime.Version())
	seed, err := match.LoadDemoDir(dataDir)
	if err != nil {
		return err
	}
	docs := match.Synthesize(seed, n, 42)
	if err := match.WarmUp(); err != nil {
		return err
	}
	free, filtered, rfq := perfQueries(td)
	types := []struct {
		name string
		qs   []perfQuery
	}{{"free text", free}, {"free text + 2 filters", filtered}, {"RFQ ranking", rfq}}

	// --- mieruka
	before := heapMB()
	e := match.New()
	t0 := time.Now()
	if err := e.Build(docs); err != nil {
		return err
	}
	mr := PerfResult{Name: "mieruka", Build: time.Since(t0), Latencies: map[string][]time.Duration{}, CPU: map[string]time.Duration{}}
	mr.MemoryMB = heapMB() - before
	ctx := context.Background()
	for _, ty := range types {
		c0 := cpuTime()
		for i := 0; i < perKind; i++ {
			pq := ty.qs[i%len(ty.qs)]
			q := match.Query{Kind: pq.kind, Text: pq.text, Limit: 20, Municipality: match.DemoMunicipality}
			q.Filters.Cities, q.Filters.Lot = pq.cities, pq.lot
			t := time.Now()
			if _, err := e.Search(ctx, q); err != nil {
				return err
			}
			mr.Latencies[ty.name] = append(mr.Latencies[ty.name], time.Since(t))
		}
		mr.CPU[ty.name] = (cpuTime() - c0) / time.Duration(perKind)
	}
	results := []PerfResult{mr}
	if skipFTS {
		printPerf(results, types, perKind, 0)
		return nil
	}
	// --- SQLite FTS5 trigram on the same texts
	ids := make([]string, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ExternalID
		texts[i] = baseline.DocText(d)
	}
	t0 = time.Now()
	fts, err := baseline.NewFTS5("", ids, texts)
	if err != nil {
		return err
	}
	fr := PerfResult{Name: "SQLite FTS5 trigram", Build: time.Since(t0), Latencies: map[string][]time.Duration{}, CPU: map[string]time.Duration{}}
	if err := ftsAttrs(fts, docs); err != nil {
		return err
	}
	fr.MemoryMB = ftsMemoryMB(fts)
	ftsN := perKind / 5
	if ftsN < 20 {
		ftsN = 20
	}
	for _, ty := range types {
		c0 := cpuTime()
		for i := 0; i < ftsN; i++ {
			pq := ty.qs[i%len(ty.qs)]
			t := time.Now()
			if len(pq.cities) > 0 {
				if _, err := ftsFiltered(fts, pq); err != nil {
					return err
				}
			} else if _, err := fts.Search(pq.text, 20); err != nil {
				return err
			}
			fr.Latencies[ty.name] = append(fr.Latencies[ty.name], time.Since(t))
		}
		fr.CPU[ty.name] = (cpuTime() - c0) / time.Duration(ftsN)
	}
	fts.Close()

	printPerf(append(results, fr), types, perKind, ftsN)
	return nil
}

var skipFTS bool

func printPerf(rs []PerfResult, types []struct {
	name string
	qs   []perfQuery
}, perKind, ftsN int) {
	fmt.Printf("\n%-22s %9s %10s", "system", "build", "memory")
	for _, ty := range types {
		fmt.Printf(" | %-31s", ty.name+" p50/p99 (cpu)")
	}
	fmt.Println()
	fmt.Println(strings.Repeat("-", 43+34*len(types)))
	for _, r := range rs {
		fmt.Printf("%-22s %8.2fs %7.0f MB", r.Name, r.Build.Seconds(), r.MemoryMB)
		for _, ty := range types {
			l := r.Latencies[ty.name]
			fmt.Printf(" | %8.2f / %8.2f ms (%5.1f)", ms(pct(l, 0.5)), ms(pct(l, 0.99)), ms(r.CPU[ty.name]))
		}
		fmt.Println()
	}
	fmt.Printf("\nload average at the end: %s (the machine is shared; latencies grow with it, CPU ms per query much less)\n", loadAvg())
	fmt.Printf("queries: %d per type for mieruka, %d for FTS5 (dev + dev2 texts, short searches); memory: Go heap growth after GC\n"+
		"(mieruka; the morphological dictionary, ≈90 MB, is loaded once per process and not counted) / SQLite page_count×page_size (FTS5).\n", perKind, ftsN)
}
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ftsAttrs adds a side table with city and lot for filtered queries.
func ftsAttrs(f *baseline.FTS5, docs []match.Doc) error {
	db := f.DB()
	if _, err := db.Exec(`CREATE TABLE attrs(rowid INTEGER PRIMARY KEY, city TEXT, lot TEXT)`); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	st, err := tx.Prepare(`INSERT INTO attrs(rowid, city, lot) VALUES (?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return err
	}
	for i, d := range docs {
		if _, err := st.Exec(i+1, d.City, strings.Join(d.Lot, ",")); err != nil {
			tx.Rollback()
			return err
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.Exec(`CREATE INDEX attrs_city ON attrs(city)`)
	return err
}

func ftsFiltered(f *baseline.FTS5, pq perfQuery) (int, error) {
	expr := baseline.TrigramQuery(pq.text)
	if expr == "" {
		return 0, nil
	}
	rows, err := f.DB().Query(`SELECT docs.ext FROM docs JOIN attrs ON attrs.rowid = docs.rowid
		WHERE docs MATCH ? AND attrs.city IN (?, ?) AND attrs.lot LIKE ? ORDER BY bm25(docs) LIMIT 20`,
		expr, pq.cities[0], pq.cities[1], "%"+pq.lot[0]+"%")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func ftsMemoryMB(f *baseline.FTS5) float64 {
	var pages, size int64
	db := f.DB()
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		return 0
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		return 0
	}
	return float64(pages*size) / (1 << 20)
}
