// Package baseline holds the two reference rankers of the matching
// evaluation: character-bigram BM25 (the README's baseline) and SQLite FTS5
// with the trigram tokenizer. Both index the same text per organization.
package baseline

import (
	"math"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mieruka/internal/match"
)

// DocText is the text both baselines index for a doc: every text field.
func DocText(d match.Doc) string {
	parts := []string{d.Name, d.NameKana, d.City, d.CatchPhrase, d.PRText, d.Strengths,
		d.University, d.Department, d.SeedsText, d.MaxWorkpieceSize}
	for _, l := range [][]string{d.Processes, d.Specialties, d.Materials, d.Certifications, d.Lot,
		d.Markets, d.Equipment, d.Products, d.ResearchTopics, d.Keywords, d.Collaboration} {
		parts = append(parts, l...)
	}
	return strings.Join(parts, " ")
}

// Normalize is NFKC + lower-casing.
func Normalize(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

// Bigrams returns the character bigrams of s after normalisation: every
// pair of consecutive characters of the whole text (spaces and punctuation
// included, as a plain character-bigram baseline does). A text of one
// character yields that character.
func Bigrams(s string) []string {
	r := []rune(Normalize(s))
	if len(r) == 1 {
		return []string{string(r)}
	}
	out := make([]string, 0, len(r))
	for i := 0; i+1 < len(r); i++ {
		out = append(out, string(r[i:i+2]))
	}
	return out
}

// BM25 is a character-bigram BM25 index (k1 = 1.2, b = 0.75).
type BM25 struct {
	K1, B    float64
	ids      []string
	lens     []float64
	avgdl    float64
	postings map[string][]posting
}

type posting struct {
	doc int32
	tf  float32
}

// NewBM25 indexes texts; ids[i] names texts[i].
func NewBM25(ids, texts []string) *BM25 {
	ix := &BM25{K1: 1.2, B: 0.75, ids: ids, lens: make([]float64, len(texts)), postings: map[string][]posting{}}
	var total float64
	for i, t := range texts {
		tf := map[string]int{}
		bg := Bigrams(t)
		for _, g := range bg {
			tf[g]++
		}
		ix.lens[i] = float64(len(bg))
		total += float64(len(bg))
		for g, n := range tf {
			ix.postings[g] = append(ix.postings[g], posting{int32(i), float32(n)})
		}
	}
	if len(texts) > 0 {
		ix.avgdl = total / float64(len(texts))
	}
	return ix
}

// Result is one ranked doc.
type Result struct {
	ID    string
	Index int
	Score float64
}

// Search ranks docs for the query's bigrams (each query bigram counted once
// per occurrence) and returns the top n (n ≤ 0: all matching).
func (ix *BM25) Search(query string, n int) []Result {
	scores := map[int32]float64{}
	N := float64(len(ix.ids))
	qtf := map[string]int{}
	for _, g := range Bigrams(query) {
		qtf[g]++
	}
	for g, qn := range qtf {
		ps := ix.postings[g]
		if len(ps) == 0 {
			continue
		}
		df := float64(len(ps))
		idf := math.Log(1 + (N-df+0.5)/(df+0.5))
		for _, p := range ps {
			tf := float64(p.tf)
			s := idf * tf * (ix.K1 + 1) / (tf + ix.K1*(1-ix.B+ix.B*ix.lens[p.doc]/ix.avgdl))
			scores[p.doc] += s * float64(qn)
		}
	}
	out := make([]Result, 0, len(scores))
	for d, s := range scores {
		out = append(out, Result{ID: ix.ids[d], Index: int(d), Score: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Index < out[j].Index
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
