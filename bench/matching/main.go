// Command matching evaluates the matching engine against the dev query sets
// and compares it with two baselines (character-bigram BM25 and SQLite FTS5
// trigram), and runs the synthetic speed benchmark.
//
//	go run ./bench/matching                 # metric table (dev, dev2, dev2-en)
//	go run ./bench/matching -v              # plus per-query nDCG@10
//	go run ./bench/matching -q V002         # one query: understanding and top 10
//	go run ./bench/matching -perf 100000    # speed at 100,000 synthetic organizations
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mieruka/bench/matching/baseline"
	"mieruka/internal/match"
)

type set struct {
	name    string
	queries []match.EvalQuery
	qrels   match.Qrels
	keep    func(string) bool
}

func main() {
	data := flag.String("data", "internal/demo/data", "demo data directory")
	td := flag.String("testdata", "bench/matching/testdata", "queries and qrels directory")
	verbose := flag.Bool("v", false, "per-query nDCG@10 of the engine")
	one := flag.String("q", "", "show one query: understanding and top results")
	perf := flag.Int("perf", 0, "run the speed benchmark with this many synthetic organizations")
	queriesN := flag.Int("perf-queries", 300, "queries per kind in the speed benchmark")
	noFTS := flag.Bool("perf-nofts", false, "speed benchmark without the SQLite FTS5 side (quicker)")
	noBase := flag.Bool("nobase", false, "skip the baselines")
	runOut := flag.String("run", "", "write the engine's run for dev and dev2 to this directory")
	docDump := flag.String("doc", "", "show what the engine read about one doc (C0001, L001)")
	probe := flag.Bool("probe", false, "run the own probe set (new queries, rule judge)")
	flag.Parse()

	if *perf > 0 {
		skipFTS = *noFTS
		if err := perfBench(*perf, *queriesN, *data, *td); err != nil {
			fatal(err)
		}
		return
	}
	docs, err := match.LoadDemoDir(*data)
	if err != nil {
		fatal(err)
	}
	sets := loadSets(*td)
	e := match.New()
	t0 := time.Now()
	if err := e.Build(docs); err != nil {
		fatal(err)
	}
	build := time.Since(t0)
	if *probe {
		if err := runProbe(e, docs, *td, *verbose); err != nil {
			fatal(err)
		}
		return
	}
	if *docDump != "" {
		for _, d := range docs {
			if d.ExternalID == *docDump {
				for _, l := range e.DocConcepts(d.ID) {
					fmt.Println(l)
				}
			}
		}
		return
	}
	if *one != "" {
		showOne(e, sets, *one)
		return
	}

	type row struct {
		name string
		m    []match.Metrics
	}
	var rows []row
	score := func(name string, runFor func(s set) []match.RunLine) {
		r := row{name: name}
		for _, s := range sets {
			r.m = append(r.m, match.ScoreSubset(runFor(s), s.qrels, s.keep))
		}
		rows = append(rows, r)
	}
	if !*noBase {
		ids := make([]string, len(docs))
		texts := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ExternalID
			texts[i] = baseline.DocText(d)
		}
		bm := baseline.NewBM25(ids, texts)
		score("bigram BM25 (k1=1.2 b=0.75)", func(s set) []match.RunLine {
			var run []match.RunLine
			for _, q := range s.queries {
				for i, r := range bm.Search(q.Text, 100) {
					run = append(run, match.RunLine{QueryID: q.ID, DocID: r.ID, Rank: i + 1, Score: r.Score})
				}
			}
			return run
		})
		fts, err := baseline.NewFTS5("", ids, texts)
		if err != nil {
			fatal(err)
		}
		score("SQLite FTS5 trigram (OR)", func(s set) []match.RunLine {
			var run []match.RunLine
			for _, q := range s.queries {
				rs, err := fts.Search(q.Text, 100)
				if err != nil {
					fatal(err)
				}
				for i, r := range rs {
					run = append(run, match.RunLine{QueryID: q.ID, DocID: r.ID, Rank: i + 1, Score: r.Score})
				}
			}
			return run
		})
		fts.Close()
	}
	runs := map[string][]match.RunLine{}
	score("mieruka (text only)", func(s set) []match.RunLine {
		run, err := match.RunQueriesContext(context.Background(), e, s.queries, 50, false)
		if err != nil {
			fatal(err)
		}
		return run
	})
	score("mieruka (text + file filters)", func(s set) []match.RunLine {
		run, err := match.RunQueries(e, s.queries, 50)
		if err != nil {
			fatal(err)
		}
		runs[s.name] = run
		return run
	})

	fmt.Printf("corpus: %d organizations, engine build %v\n\n", len(docs), build.Round(time.Millisecond))
	fmt.Printf("%-32s", "nDCG@10 / Recall@20 / MRR")
	for _, s := range sets {
		fmt.Printf(" | %-20s", fmt.Sprintf("%s (%d)", s.name, countKept(s)))
	}
	fmt.Println()
	fmt.Println(strings.Repeat("-", 32+23*len(sets)))
	for _, r := range rows {
		fmt.Printf("%-32s", r.name)
		for _, m := range r.m {
			fmt.Printf(" | %.3f %.3f %.3f  ", m.NDCG10, m.Recall20, m.MRR)
		}
		fmt.Println()
	}
	if *verbose {
		last := rows[len(rows)-1]
		for si, s := range sets[:2] {
			fmt.Printf("\n%s per query (nDCG@10):\n", s.name)
			ids := make([]string, 0, len(last.m[si].PerQuery))
			for id := range last.m[si].PerQuery {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for i, id := range ids {
				fmt.Printf("  %s %.3f", id, last.m[si].PerQuery[id].NDCG10)
				if i%6 == 5 {
					fmt.Println()
				}
			}
			fmt.Println()
		}
	}
	if *runOut != "" {
		for _, name := range []string{"dev", "dev2"} {
			f, err := os.Create(filepath.Join(*runOut, "run-"+name+".jsonl"))
			if err != nil {
				fatal(err)
			}
			if err := match.WriteRun(f, runs[name]); err != nil {
				fatal(err)
			}
			f.Close()
		}
	}
}

func countKept(s set) int {
	n := 0
	for id := range s.qrels {
		if s.keep == nil || s.keep(id) {
			n++
		}
	}
	return n
}

func loadSets(td string) []set {
	var out []set
	for _, name := range []string{"dev", "dev2"} {
		qf, err := os.Open(filepath.Join(td, "queries-"+name+".jsonl"))
		if err != nil {
			fatal(err)
		}
		qs, err := match.ReadQueries(qf)
		qf.Close()
		if err != nil {
			fatal(err)
		}
		rf, err := os.Open(filepath.Join(td, "qrels-"+name+".jsonl"))
		if err != nil {
			fatal(err)
		}
		qrels, err := match.ReadQrels(rf)
		rf.Close()
		if err != nil {
			fatal(err)
		}
		out = append(out, set{name: name, queries: qs, qrels: qrels})
	}
	en := map[string]bool{}
	for _, q := range out[1].queries {
		if q.HasTag("en") {
			en[q.ID] = true
		}
	}
	out = append(out, set{name: "dev2-en", queries: out[1].queries, qrels: out[1].qrels, keep: func(id string) bool { return en[id] }})
	return out
}

func showOne(e *match.Engine, sets []set, id string) {
	for _, s := range sets[:2] {
		for _, q := range s.queries {
			if q.ID != id {
				continue
			}
			res, err := e.Search(context.Background(), q.Query(true, 20))
			if err != nil {
				fatal(err)
			}
			fmt.Println(q.Text)
			b, _ := json.MarshalIndent(res.Understood, "", "  ")
			fmt.Println(string(b))
			rel := s.qrels[id]
			for i, h := range res.Hits {
				fmt.Printf("%2d %-6s rel=%d score=%.3f fit=%.2f %s %s | met=%v unmet=%v\n", i+1, h.ExternalID, rel[h.ExternalID], h.Score, h.Fit, h.Name, h.City, h.Why.Met, h.Why.Unmet)
			}
			found := map[string]bool{}
			for _, h := range res.Hits {
				found[h.ExternalID] = true
			}
			for d, g := range rel {
				if !found[d] {
					fmt.Printf("   missing %s rel=%d\n", d, g)
				}
			}
			run, _ := match.RunQueries(e, []match.EvalQuery{q}, 50)
			m := match.Score(run, match.Qrels{id: rel})
			fmt.Printf("nDCG@10 %.3f  R@20 %.3f  MRR %.3f\n", m.NDCG10, m.Recall20, m.MRR)
			return
		}
	}
	fatal(fmt.Errorf("query %s not found", id))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "matching:", err)
	os.Exit(1)
}
