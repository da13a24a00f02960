package match

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// EvalQuery is one line of a query file (queries-dev.jsonl):
//
//	{"query_id": "D002", "text": "…", "kind": "rfq", "filters": {"city": ["日野市"]}, "tags": ["constraint"]}
//
// filters may hold certification (string or list, any-of), city (list),
// lot (string or list) and doc_type ("lab").
type EvalQuery struct {
	ID      string          `json:"query_id"`
	Text    string          `json:"text"`
	Kind    string          `json:"kind"`
	Filters EvalFilters     `json:"filters"`
	Tags    []string        `json:"tags,omitempty"`
	Raw     json.RawMessage `json:"-"`
}

// EvalFilters are the filters of a query file line.
type EvalFilters struct {
	Certification stringList `json:"certification,omitempty"`
	City          stringList `json:"city,omitempty"`
	Lot           stringList `json:"lot,omitempty"`
	DocType       string     `json:"doc_type,omitempty"`
}

// stringList accepts a JSON string or a list of strings.
type stringList []string

func (s *stringList) UnmarshalJSON(b []byte) error {
	b = []byte(strings.TrimSpace(string(b)))
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = []string{v}
		return nil
	}
	if string(b) == "null" {
		*s = nil
		return nil
	}
	var v []string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = v
	return nil
}

// HasTag reports whether the query carries tag t.
func (q EvalQuery) HasTag(t string) bool {
	for _, x := range q.Tags {
		if x == t {
			return true
		}
	}
	return false
}

// Query converts the line to an engine query. With useFilters false the
// explicit filters are dropped and only the text is used.
func (q EvalQuery) Query(useFilters bool, limit int) Query {
	out := Query{Kind: QueryKind(q.Kind), Text: q.Text, Limit: limit, NoFacets: true, NoHighlight: true}
	if out.Kind == "" {
		out.Kind = KindSearch
	}
	if useFilters {
		out.Filters = Filters{
			Certifications: q.Filters.Certification,
			Cities:         q.Filters.City,
			Lot:            q.Filters.Lot,
			Kind:           q.Filters.DocType,
		}
	}
	return out
}

// ReadQueries reads a query file (JSON Lines).
func ReadQueries(r io.Reader) ([]EvalQuery, error) {
	var out []EvalQuery
	err := readJSONL(r, func(line int, b []byte) error {
		var q EvalQuery
		if err := json.Unmarshal(b, &q); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if q.ID == "" {
			return fmt.Errorf("line %d: missing query_id", line)
		}
		q.Raw = append(json.RawMessage(nil), b...)
		out = append(out, q)
		return nil
	})
	return out, err
}

// Qrel is one graded judgment.
type Qrel struct {
	QueryID   string `json:"query_id"`
	DocID     string `json:"doc_id"`
	Relevance int    `json:"relevance"`
	Why       string `json:"why,omitempty"`
}

// Qrels maps query id → doc id → relevance grade.
type Qrels map[string]map[string]int

// ReadQrels reads a judgments file (JSON Lines).
func ReadQrels(r io.Reader) (Qrels, error) {
	out := Qrels{}
	err := readJSONL(r, func(line int, b []byte) error {
		var q Qrel
		if err := json.Unmarshal(b, &q); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		m := out[q.QueryID]
		if m == nil {
			m = map[string]int{}
			out[q.QueryID] = m
		}
		m[q.DocID] = q.Relevance
		return nil
	})
	return out, err
}

// RunLine is one line of a run file.
type RunLine struct {
	QueryID string  `json:"query_id"`
	DocID   string  `json:"doc_id"`
	Rank    int     `json:"rank"`
	Score   float64 `json:"score"`
}

// ReadRun reads a run file (JSON Lines).
func ReadRun(r io.Reader) ([]RunLine, error) {
	var out []RunLine
	err := readJSONL(r, func(line int, b []byte) error {
		var l RunLine
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// WriteRun writes run lines as JSON Lines.
func WriteRun(w io.Writer, run []RunLine) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, l := range run {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// RunQueries runs every query over the engine with its explicit filters and
// returns the top `top` docs of each (top ≤ 0 means 50). Docs are written
// with their external ids. A query that fails (bad filter) contributes no
// lines; its error is returned after all queries ran.
func RunQueries(e *Engine, queries []EvalQuery, top int) ([]RunLine, error) {
	return RunQueriesContext(context.Background(), e, queries, top, true)
}

// RunQueriesContext is RunQueries with a context and the choice of using the
// files' explicit filters.
func RunQueriesContext(ctx context.Context, e *Engine, queries []EvalQuery, top int, useFilters bool) ([]RunLine, error) {
	return RunQueriesIn(ctx, e, queries, top, useFilters, "")
}

// RunQueriesIn is RunQueriesContext over one municipality's organizations
// ("" for all in the engine). The run holds every query that could run; the
// error joins those that could not ().
func RunQueriesIn(ctx context.Context, e *Engine, queries []EvalQuery, top int, useFilters bool, municipality string) ([]RunLine, error) {
	if top <= 0 {
		top = 50
	}
	var out []RunLine
	var errs []error
	for _, q := range queries {
		mq := q.Query(useFilters, top)
		mq.Municipality = municipality
		res, err := e.Search(ctx, mq)
		if err != nil {
			// A filter naming nothing known: no organization meets it, the
			// query has no results. The others still run.
			errs = append(errs, fmt.Errorf("query %s: %w", q.ID, err))
			continue
		}
		for i, h := range res.Hits {
			out = append(out, RunLine{QueryID: q.ID, DocID: h.ExternalID, Rank: i + 1, Score: round4(h.Score)})
		}
	}
	return out, errors.Join(errs...)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// QueryMetrics are the measures of one query.
type QueryMetrics struct {
	NDCG10   float64 `json:"ndcg@10"`
	Recall20 float64 `json:"recall@20"`
	MRR      float64 `json:"mrr"`
}

// Metrics are measures averaged over all queries of the qrels.
type Metrics struct {
	Queries  int                     `json:"queries"`
	NDCG10   float64                 `json:"ndcg@10"`
	Recall20 float64                 `json:"recall@20"`
	MRR      float64                 `json:"mrr"`
	PerQuery map[string]QueryMetrics `json:"per_query,omitempty"`
}

// Score computes nDCG@10, Recall@20 and MRR exactly as the evaluation data
// README defines them: per query, the run's ranking ordered by rank (a doc
// listed twice keeps its best rank); averaged over all queries in qrels, a
// query missing from the run scoring 0.
func Score(run []RunLine, qrels Qrels) Metrics {
	return ScoreSubset(run, qrels, nil)
}

// ScoreSubset is Score restricted to the query ids for which keep returns
// true (nil keeps all).
func ScoreSubset(run []RunLine, qrels Qrels, keep func(queryID string) bool) Metrics {
	byQ := map[string][]RunLine{}
	for _, l := range run {
		byQ[l.QueryID] = append(byQ[l.QueryID], l)
	}
	m := Metrics{PerQuery: map[string]QueryMetrics{}}
	ids := make([]string, 0, len(qrels))
	for id := range qrels {
		if keep == nil || keep(id) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		qm := scoreOne(byQ[id], qrels[id])
		m.PerQuery[id] = qm
		m.NDCG10 += qm.NDCG10
		m.Recall20 += qm.Recall20
		m.MRR += qm.MRR
	}
	m.Queries = len(ids)
	if m.Queries > 0 {
		n := float64(m.Queries)
		m.NDCG10 /= n
		m.Recall20 /= n
		m.MRR /= n
	}
	return m
}

func scoreOne(lines []RunLine, rel map[string]int) QueryMetrics {
	// Order by rank; a doc listed twice keeps its best rank.
	sorted := append([]RunLine(nil), lines...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
	seen := map[string]bool{}
	var ranking []string
	for _, l := range sorted {
		if seen[l.DocID] {
			continue
		}
		seen[l.DocID] = true
		ranking = append(ranking, l.DocID)
	}
	var qm QueryMetrics
	// nDCG@10
	var dcg float64
	for i := 0; i < len(ranking) && i < 10; i++ {
		g := rel[ranking[i]]
		if g > 0 {
			dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
	}
	grades := make([]int, 0, len(rel))
	nrel := 0
	for _, g := range rel {
		grades = append(grades, g)
		if g >= 1 {
			nrel++
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	var idcg float64
	for i := 0; i < len(grades) && i < 10; i++ {
		if grades[i] > 0 {
			idcg += (math.Pow(2, float64(grades[i])) - 1) / math.Log2(float64(i+2))
		}
	}
	if idcg > 0 {
		qm.NDCG10 = dcg / idcg
	}
	// Recall@20
	if nrel > 0 {
		hit := 0
		for i := 0; i < len(ranking) && i < 20; i++ {
			if rel[ranking[i]] >= 1 {
				hit++
			}
		}
		qm.Recall20 = float64(hit) / float64(nrel)
	}
	// MRR, no cutoff
	for i, d := range ranking {
		if rel[d] >= 1 {
			qm.MRR = 1 / float64(i+1)
			break
		}
	}
	return qm
}

func readJSONL(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" || strings.HasPrefix(b, "#") {
			continue
		}
		if err := fn(line, []byte(b)); err != nil {
			return err
		}
	}
	return sc.Err()
}
