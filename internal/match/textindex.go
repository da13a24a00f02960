package match

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"sort"
)

// Text relevance: BM25 over character bigrams of Japanese runs and whole
// ASCII tokens, with per-field weights folded into the term frequency
// (a simplified BM25F). Postings are delta + varint encoded and only ever
// appended to, so Upsert gives a new ordinal and Remove a tombstone.

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// field weights for text relevance
var fieldWeights = struct {
	name, proc, spec, mat, equip, prod, mkt, text, topics, keywords, univ float32
}{name: 0.5, proc: 2, spec: 2, mat: 1.5, equip: 1.5, prod: 1.5, mkt: 1, text: 1, topics: 2, keywords: 2, univ: 0.5}

type postingList struct {
	data []byte
	last int32
	df   int32
}

type textIndex struct {
	terms    map[uint64]uint32
	post     []postingList
	dlen     []float32
	totalLen float64
	live     int
}

func newTextIndex() *textIndex {
	return &textIndex{terms: map[uint64]uint32{}}
}

const (
	tagBigram  = uint64(1) << 63
	tagUnigram = uint64(1) << 62
	maskHash   = (uint64(1) << 62) - 1
)

func bigramKey(a, b rune) uint64 { return tagBigram | uint64(a)<<21 | uint64(b) }

func tokenKey(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64() & maskHash
}

// textTerms calls fn for every term of a normalised rune slice.
func textTerms(r []rune, fn func(k uint64)) {
	n := len(r)
	for i := 0; i < n; {
		c := r[i]
		switch {
		case isASCIIAlnum(c):
			j := i
			for j < n && isASCIIAlnum(r[j]) {
				j++
			}
			if j-i >= 2 || isDigit(c) {
				fn(tokenKey(string(r[i:j])))
			}
			i = j
		case isWordRune(c):
			j := i
			for j < n && isWordRune(r[j]) && !isASCIIAlnum(r[j]) {
				j++
			}
			if j-i == 1 {
				fn(tagUnigram | uint64(c))
			} else {
				for k := i; k+1 < j; k++ {
					fn(bigramKey(r[k], r[k+1]))
				}
			}
			i = j
		default:
			i++
		}
	}
}

// isWordRune: letters and digits of any script, plus φ μ ~ used in notations.
func isWordRune(c rune) bool {
	if c < 0x80 {
		return isASCIIAlnum(c)
	}
	if isCJK(c) || c == 'φ' || c == 'μ' {
		return true
	}
	return c >= 0xC0 && c != '×' && c != '・' && c != '、' && c != '。' && !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFF0F)
}

// conceptKey is the text-relevance term of a concept: any spelling of it
// (アルマイト, 陽極酸化, anodizing) gives the same term.
func conceptKey(id int32) uint64 { return tagBigram | tagUnigram | uint64(uint32(id)) }

// add appends doc ord with its term frequencies. ords must increase.
func (ix *textIndex) add(ord int32, tf map[uint64]float32, length float32) {
	for int(ord) >= len(ix.dlen) {
		ix.dlen = append(ix.dlen, 0)
	}
	ix.dlen[ord] = length
	ix.totalLen += float64(length)
	ix.live++
	var buf [binary.MaxVarintLen32 + 1]byte
	for k, f := range tf {
		id, ok := ix.terms[k]
		if !ok {
			id = uint32(len(ix.post))
			ix.terms[k] = id
			ix.post = append(ix.post, postingList{last: -1})
		}
		p := &ix.post[id]
		delta := ord - p.last
		if p.last < 0 {
			delta = ord + 1
		}
		n := binary.PutUvarint(buf[:], uint64(delta))
		q := f * 4
		if q > 255 {
			q = 255
		}
		if q < 1 {
			q = 1
		}
		buf[n] = byte(q + 0.5)
		p.data = append(p.data, buf[:n+1]...)
		p.last = ord
		p.df++
	}
}

// remove forgets the length of a deleted doc (its postings stay, masked).
func (ix *textIndex) remove(ord int32) {
	if int(ord) < len(ix.dlen) {
		ix.totalLen -= float64(ix.dlen[ord])
		ix.live--
	}
}

// qterm is a weighted query term.
type qterm struct {
	key uint64
	w   float32
}

// score adds the BM25 score of every doc matching the terms into acc and
// records newly touched ords. deleted docs are skipped by the caller.
func (ix *textIndex) score(terms []qterm, acc []float32, touched []int32) []int32 {
	if ix.live == 0 {
		return touched
	}
	N := float64(ix.live)
	avg := float32(ix.totalLen / N)
	if avg <= 0 {
		avg = 1
	}
	for _, qt := range terms {
		id, ok := ix.terms[qt.key]
		if !ok {
			continue
		}
		p := &ix.post[id]
		df := float64(p.df)
		idf := float32(math.Log(1 + (N-df+0.5)/(df+0.5)))
		if idf <= 0 {
			continue
		}
		w := qt.w * idf
		data := p.data
		ord := int32(-1)
		for len(data) > 0 {
			delta, n := binary.Uvarint(data)
			if n <= 0 || n >= len(data) {
				break
			}
			tf := float32(data[n]) / 4
			data = data[n+1:]
			if ord < 0 {
				ord = int32(delta) - 1
			} else {
				ord += int32(delta)
			}
			dl := ix.dlen[ord]
			s := w * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl/avg))
			if acc[ord] == 0 {
				touched = append(touched, ord)
			}
			acc[ord] += s
		}
	}
	return touched
}

// df returns the document frequency of a term.
func (ix *textIndex) df(k uint64) int {
	if id, ok := ix.terms[k]; ok {
		return int(ix.post[id].df)
	}
	return 0
}

// selectTerms keeps the most informative query terms (at most max), merging
// duplicates.
func (ix *textIndex) selectTerms(terms []qterm, max int) []qterm {
	m := map[uint64]float32{}
	for _, t := range terms {
		m[t.key] += t.w
	}
	out := make([]qterm, 0, len(m))
	common := 0
	for k, w := range m {
		df := ix.df(k)
		if df == 0 {
			continue
		}
		if df*10 > ix.live*3 {
			common++
		}
		out = append(out, qterm{k, w})
	}
	if len(out)-common >= 4 {
		// terms in more than 30% of the docs tell little and cost most
		keep := out[:0]
		for _, t := range out {
			if ix.df(t.key)*10 <= ix.live*3 {
				keep = append(keep, t)
			}
		}
		out = keep
	}
	N := float64(ix.live) + 1
	sort.Slice(out, func(i, j int) bool {
		wi := float64(out[i].w) * math.Log(1+N/float64(ix.df(out[i].key)+1))
		wj := float64(out[j].w) * math.Log(1+N/float64(ix.df(out[j].key)+1))
		if wi != wj {
			return wi > wj
		}
		return out[i].key < out[j].key
	})
	if len(out) > max {
		out = out[:max]
	}
	return out
}
