package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"mieruka/bench/matching/baseline"
	"mieruka/internal/match"
)

// A probe set of our own: new requests (different items from the dev sets,
// both styles, Japanese and English) with the intent written down, judged
// by a rule judge that follows the evaluation README's grading rules on the
// structured fields. It checks that the engine generalises beyond the dev
// queries; its judge is ours, so its numbers are indicative only.

type probeIntent struct {
	Core          []string   `json:"core"`
	Material      []string   `json:"material"`
	Wishes        [][]string `json:"wishes"`
	Lot           []string   `json:"lot"`
	Market        []string   `json:"market"`
	CertReq       []string   `json:"cert_req"`
	CertPref      []string   `json:"cert_pref"`
	CitiesReq     []string   `json:"cities_req"`
	Size          float64    `json:"size"`
	Want          string     `json:"want"`
	TopicsMain    []string   `json:"topics_main"`
	TopicsRelated []string   `json:"topics_related"`
	CompanyCaps   []string   `json:"company_caps"`
}

type probeQuery struct {
	ID     string      `json:"query_id"`
	Kind   string      `json:"kind"`
	Text   string      `json:"text"`
	Intent probeIntent `json:"intent"`
}

func hasAny(vals []string, want []string) bool {
	for _, w := range want {
		for _, v := range vals {
			if v == w {
				return true
			}
		}
	}
	return false
}

var sizeNum = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

func maxSizeOf(s string) float64 {
	best := 0.0
	for _, m := range sizeNum.FindAllString(strings.Split(strings.Split(s, "（")[0], "(")[0], -1) {
		if v, err := strconv.ParseFloat(m, 64); err == nil && v > best {
			best = v
		}
	}
	return best
}

// judge grades one doc for one probe query (0–3) following the README.
func judge(q probeQuery, d match.Doc) int {
	in := q.Intent
	if d.Kind == match.KindLab {
		if in.Want == "company" || len(in.TopicsMain) == 0 {
			return 0
		}
		if len(d.ResearchTopics) == 0 {
			return 0
		}
		main, side := d.ResearchTopics[0], d.ResearchTopics[1:]
		switch {
		case hasAny([]string{main}, in.TopicsMain):
			return 3
		case hasAny(side, in.TopicsMain), hasAny([]string{main}, in.TopicsRelated):
			return 2
		case hasAny(side, in.TopicsRelated):
			return 1
		}
		return 0
	}
	if in.Want == "lab" {
		return 0
	}
	caps := append(append([]string{}, d.Processes...), d.Specialties...)
	if q.Kind == "needs" && in.Want != "company" {
		if hasAny(caps, in.CompanyCaps) {
			return 2
		}
		return 0
	}
	if len(in.Core) > 0 && !hasAny(caps, in.Core) {
		return 0
	}
	if len(in.CertReq) > 0 && !hasAny(d.Certifications, in.CertReq) {
		return 0
	}
	if len(in.CitiesReq) > 0 && !hasAny([]string{d.City}, in.CitiesReq) {
		return 0
	}
	sig, sec := 0, 0
	if len(in.Material) > 0 && !hasAny(d.Materials, in.Material) {
		sig++
	}
	for _, w := range in.Wishes {
		if !hasAny(caps, w) {
			sec++
		}
	}
	if len(in.Lot) > 0 && !hasAny(d.Lot, in.Lot) {
		sec++
	}
	if len(in.Market) > 0 && !hasAny(d.Markets, in.Market) {
		sec++
	}
	if len(in.CertPref) > 0 && !hasAny(d.Certifications, in.CertPref) {
		sig++
	}
	if in.Size > 0 {
		if ms := maxSizeOf(d.MaxWorkpieceSize); ms > 0 && ms < in.Size {
			sig++
		}
	}
	switch {
	case sig == 0 && sec == 0:
		return 3
	case sig == 0 && sec == 1:
		return 2
	case (sig == 1 && sec == 0) || (sig == 0 && sec == 2):
		return 1
	}
	return 0
}

func runProbe(e *match.Engine, docs []match.Doc, td string, verbose bool) error {
	b, err := os.ReadFile(filepath.Join(td, "probe-queries.jsonl"))
	if err != nil {
		return err
	}
	var qs []probeQuery
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var q probeQuery
		if err := json.Unmarshal([]byte(l), &q); err != nil {
			return err
		}
		qs = append(qs, q)
	}
	qrels := match.Qrels{}
	var evq []match.EvalQuery
	for _, q := range qs {
		rel := map[string]int{}
		for _, d := range docs {
			if g := judge(q, d); g > 0 {
				rel[d.ExternalID] = g
			}
		}
		if len(rel) == 0 {
			fmt.Printf("probe %s: no relevant doc, skipped\n", q.ID)
			continue
		}
		qrels[q.ID] = rel
		evq = append(evq, match.EvalQuery{ID: q.ID, Text: q.Text, Kind: q.Kind})
	}
	ids := make([]string, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ExternalID
		texts[i] = baseline.DocText(d)
	}
	bm := baseline.NewBM25(ids, texts)
	var brun []match.RunLine
	for _, q := range evq {
		for i, r := range bm.Search(q.Text, 100) {
			brun = append(brun, match.RunLine{QueryID: q.ID, DocID: r.ID, Rank: i + 1})
		}
	}
	run, err := match.RunQueries(e, evq, 50)
	if err != nil {
		return err
	}
	isEN := func(id string) bool {
		for _, q := range evq {
			if q.ID == id {
				return strings.Count(q.Text, " ") > 5 && !strings.ContainsAny(q.Text, "あいうえおのをにはがでと")
			}
		}
		return false
	}
	fmt.Printf("\nprobe set (%d queries, own rule judge — indicative only)\n", len(evq))
	for _, r := range []struct {
		name string
		run  []match.RunLine
	}{{"bigram BM25", brun}, {"mieruka", run}} {
		m := match.Score(r.run, qrels)
		me := match.ScoreSubset(r.run, qrels, isEN)
		fmt.Printf("%-14s all: nDCG@10 %.3f R@20 %.3f MRR %.3f | English (%d): nDCG@10 %.3f\n", r.name, m.NDCG10, m.Recall20, m.MRR, me.Queries, me.NDCG10)
		if verbose && r.name == "mieruka" {
			keys := make([]string, 0, len(m.PerQuery))
			for k := range m.PerQuery {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for i, k := range keys {
				fmt.Printf("  %s %.3f", k, m.PerQuery[k].NDCG10)
				if i%7 == 6 {
					fmt.Println()
				}
			}
			fmt.Println()
		}
	}
	return nil
}
