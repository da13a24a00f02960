package match

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Options configure an Engine.
type Options struct {
	// Neighbours says whether two cities are neighbours (used for 「近隣」 and
	// for joint-order groups). nil = DefaultNeighbours (built-in Tama table).
	Neighbours NeighbourFunc
	// Workers analysing docs during Build (0 = GOMAXPROCS).
	Workers int
}

// Engine is the matching index. All methods are safe for concurrent use:
// searches run under a read lock, Build / Upsert / Remove / SetSynonyms under
// a write lock.
type Engine struct {
	mu         sync.RWMutex
	opt        Options
	v          *vocab              // base vocabulary + concepts added by staff
	overlays   map[string]*overlay // municipality → extra synonyms
	docs       []*docInfo          // by ordinal
	byID       map[int64]int32
	text       *textIndex
	cpost      [][]uint32 // concept id → ordinal<<4 | evidence code (at insert time)
	hot        []docHot   // by ordinal
	muniIdx    map[string]uint16
	cityIdx    map[string]uint16
	cityNames  []string
	facetDict  map[[2]string]uint32
	facetNames [][2]string
	fidData    []uint32 // facet value ids of all docs
	fidOff     []uint32 // ordinal → start in fidData (len = docs+1)
	live       int
	dead       int
	accPool    sync.Pool
}

type overlay struct {
	entries []SynonymEntry
	trie    *trie
}

// New returns an empty engine.
func New(opts ...Options) *Engine {
	e := &Engine{v: baseVocab, overlays: map[string]*overlay{}}
	if len(opts) > 0 {
		e.opt = opts[0]
	}
	if e.opt.Neighbours == nil {
		e.opt.Neighbours = DefaultNeighbours
	}
	e.reset()
	return e
}

func (e *Engine) reset() {
	e.docs = nil
	e.byID = map[int64]int32{}
	e.text = newTextIndex()
	e.cpost = make([][]uint32, len(e.v.concepts))
	e.hot = nil
	e.muniIdx = map[string]uint16{}
	e.cityIdx = map[string]uint16{}
	e.cityNames = nil
	e.facetDict = map[[2]string]uint32{}
	e.facetNames = nil
	e.fidData, e.fidOff = nil, nil
	e.live, e.dead = 0, 0
}

// Len is the number of indexed (live) organizations.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.live
}

// Doc returns the indexed doc with database id id.
func (e *Engine) Doc(id int64) (Doc, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if ord, ok := e.byID[id]; ok {
		return *e.docs[ord].doc, true
	}
	return Doc{}, false
}

func (e *Engine) analyzer(municipality string) *docAnalyzer {
	an := &docAnalyzer{v: e.v, tries: []*trie{e.v.trie}}
	if ov := e.overlays[municipality]; ov != nil && ov.trie != nil {
		an.tries = append(an.tries, ov.trie)
	}
	return an
}

type analyzed struct {
	di  *docInfo
	tf  map[uint64]float32
	len float32
}

func (e *Engine) analyzeDoc(d *Doc) analyzed {
	an := e.analyzer(d.Municipality)
	an.tf = tfPool.Get().(map[uint64]float32)
	bp := bufPool.Get().(*ntext)
	an.buf = *bp
	defer func() {
		*bp = an.buf
		bufPool.Put(bp)
	}()
	di := an.analyze(d)
	return analyzed{di: di, tf: an.tf, len: an.tlen}
}

// ErrBadDoc is returned for a doc without id.
var ErrBadDoc = errors.New("match: doc needs a non-zero ID")

// Build replaces the index with docs (≈ 1 s per 10,000 organizations on
// two cores). Docs with a duplicate ID: the last one wins.
func (e *Engine) Build(docs []Doc) error {
	for i := range docs {
		if docs[i].ID == 0 {
			return fmt.Errorf("%w (doc %d, %q)", ErrBadDoc, i, docs[i].ExternalID)
		}
	}
	cp := make([]Doc, len(docs))
	copy(cp, docs)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reset()
	e.analyzeInsert(cp)
	return nil
}

// analyzeInsert analyses docs in parallel batches and inserts them in
// order; a batch's term maps are recycled once inserted (write lock held).
func (e *Engine) analyzeInsert(docs []Doc) {
	const batch = 2048
	for start := 0; start < len(docs); start += batch {
		end := min(start+batch, len(docs))
		res := e.analyzeAll(docs[start:end])
		for i := range res {
			e.insert(res[i])
			clear(res[i].tf)
			tfPool.Put(res[i].tf)
			res[i] = analyzed{}
		}
	}
}

var (
	tfPool  = sync.Pool{New: func() any { return make(map[uint64]float32, 512) }}
	bufPool = sync.Pool{New: func() any {
		return &ntext{r: make([]rune, 0, 1024), st: make([]int32, 0, 1024), en: make([]int32, 0, 1024), kana: make([]uint8, 0, 1024)}
	}}
)

func (e *Engine) analyzeAll(docs []Doc) []analyzed {
	res := make([]analyzed, len(docs))
	workers := e.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i] = e.analyzeDoc(&docs[i])
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	return res
}

// insert adds an analysed doc as a new ordinal (write lock held).
func (e *Engine) insert(a analyzed) {
	d := a.di.doc
	if old, ok := e.byID[d.ID]; ok {
		e.tombstone(old)
	}
	ord := int32(len(e.docs))
	e.docs = append(e.docs, a.di)
	h := e.internHot(d)
	h.lots, h.hasMats = a.di.lots, a.di.hasMats
	h.maxSize, h.minHole, h.tol = float32(a.di.facts.maxSize), float32(a.di.facts.minHole), float32(a.di.facts.tol)
	e.hot = append(e.hot, h)
	if len(e.fidOff) == 0 {
		e.fidOff = append(e.fidOff, 0)
	}
	e.fidData = append(e.fidData, e.facetIDs(a.di)...)
	e.fidOff = append(e.fidOff, uint32(len(e.fidData)))
	a.di.fv = nil
	e.byID[d.ID] = ord
	e.text.add(ord, a.tf, a.len)
	for _, c := range a.di.cs {
		code := evidenceLevel(c.s, c.f)
		if code == 0 {
			continue
		}
		for int(c.id) >= len(e.cpost) {
			e.cpost = append(e.cpost, nil)
		}
		e.cpost[c.id] = append(e.cpost[c.id], uint32(ord)<<4|uint32(code))
	}
	e.live++
}

func (e *Engine) tombstone(ord int32) {
	di := e.docs[ord]
	if di.deleted {
		return
	}
	di.deleted = true
	e.hot[ord].deleted = true
	e.text.remove(ord)
	delete(e.byID, di.doc.ID)
	e.live--
	e.dead++
}

// Upsert adds or replaces one organization.
func (e *Engine) Upsert(d Doc) error {
	if d.ID == 0 {
		return ErrBadDoc
	}
	dc := d
	e.mu.Lock()
	defer e.mu.Unlock()
	e.insert(e.analyzeDoc(&dc))
	e.maybeCompact()
	return nil
}

// Remove drops the organization with database id id; false if unknown.
func (e *Engine) Remove(id int64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	ord, ok := e.byID[id]
	if !ok {
		return false
	}
	e.tombstone(ord)
	e.maybeCompact()
	return true
}

// maybeCompact rebuilds the index when over a third of the ordinals are
// tombstones (write lock held).
func (e *Engine) maybeCompact() {
	if e.dead < 1000 || e.dead*3 < len(e.docs) {
		return
	}
	e.reindexAll()
}

// reindexAll re-analyses every live doc (write lock held).
func (e *Engine) reindexAll() {
	var live []Doc
	for _, di := range e.docs {
		if !di.deleted {
			live = append(live, *di.doc)
		}
	}
	e.reset()
	e.analyzeInsert(live)
}

// SetSynonyms replaces the extra synonym entries of one municipality (its
// staff's own words). Queries with Query.Municipality == municipality read
// them at once, and the municipality's docs are re-read so that the index
// honours them too. An entry whose Canonical is known (any spelling of an
// existing concept) extends that concept; otherwise a new term is created
// that makes its spellings equivalent.
func (e *Engine) SetSynonyms(municipality string, entries []SynonymEntry) error {
	for i, en := range entries {
		if strings.TrimSpace(en.Canonical) == "" {
			return fmt.Errorf("match: synonym entry %d: empty canonical", i)
		}
		if en.Kind != "" {
			if _, ok := publicKinds[en.Kind]; !ok {
				return fmt.Errorf("match: synonym entry %d: unknown kind %q", i, en.Kind)
			}
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	nv := e.v
	surfaces := map[string][]int32{}
	loose := map[string]bool{}
	for _, en := range entries {
		ids := nv.lookupKind(en.Canonical)
		if len(ids) == 0 {
			// a new concept: copy the vocabulary header (concepts are shared)
			if nv == e.v {
				nv = nv.clone()
			}
			k := publicKinds[en.Kind]
			if k == kNone {
				k = kTerm
			}
			c := &concept{id: int32(len(nv.concepts)), kind: k, label: strings.TrimSpace(en.Canonical)}
			c.key = k.prefix() + ":" + c.label + "@" + municipality
			nv.concepts = append(nv.concepts, c)
			nv.byKey[c.key] = c.id
			ids = []int32{c.id}
			surfaces[normString(en.Canonical)] = append(surfaces[normString(en.Canonical)], c.id)
			if !isKataOnly(en.Canonical) {
				loose[normString(en.Canonical)] = true
			}
		}
		for _, s := range en.Variants {
			n := normString(s)
			if n == "" {
				continue
			}
			surfaces[n] = append(surfaces[n], ids...)
			if !isKataOnly(s) {
				loose[n] = true
			}
		}
	}
	e.v = nv
	if len(entries) == 0 {
		delete(e.overlays, municipality)
	} else {
		e.overlays[municipality] = &overlay{entries: append([]SynonymEntry(nil), entries...), trie: buildTrie(surfaces, loose)}
	}
	for len(e.cpost) < len(e.v.concepts) {
		e.cpost = append(e.cpost, nil)
	}
	// re-read the municipality's docs
	var redo []Doc
	for _, di := range e.docs {
		if !di.deleted && di.doc.Municipality == municipality {
			redo = append(redo, *di.doc)
		}
	}
	e.analyzeInsert(redo)
	e.maybeCompact()
	return nil
}

// Synonyms returns the extra entries of a municipality.
func (e *Engine) Synonyms(municipality string) []SynonymEntry {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if ov := e.overlays[municipality]; ov != nil {
		return append([]SynonymEntry(nil), ov.entries...)
	}
	return nil
}

var publicKinds = map[string]ckind{
	"process": kProc, "specialty": kSpec, "material": kMat, "certification": kCert, "lot": kLot,
	"market": kMkt, "topic": kTopic, "term": kTerm, "equipment": kEquip, "product": kProd,
}

func (v *vocab) clone() *vocab {
	nv := *v
	nv.concepts = append([]*concept(nil), v.concepts...)
	nv.byKey = make(map[string]int32, len(v.byKey)+8)
	for k, x := range v.byKey {
		nv.byKey[k] = x
	}
	return &nv
}

// ------------------------------------------------------------------ search

const (
	defaultLimit = 20
	maxLimit     = 1000
)

type scored struct {
	ord   int32
	score float64
	fit   float64
	text  float64
}

// Search ranks organizations for q. Errors: *FilterError for a filter value
// the engine does not know, ctx.Err() when cancelled. An empty or
// meaningless text with no filters gives an empty result, not an error.
func (e *Engine) Search(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if q.Limit <= 0 {
		q.Limit = defaultLimit
	}
	if q.Limit > maxLimit {
		q.Limit = maxLimit
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	switch q.Kind {
	case "", KindSearch, KindRFQ, KindNeeds, KindPartner:
	default:
		return Result{}, &FilterError{Filter: "kind", Value: string(q.Kind)}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	rf, err := e.resolveFilters(q.Filters)
	if err != nil {
		return Result{}, err
	}
	a := e.analyzer(q.Municipality).understand(q, CityName(q.Municipality))
	res := Result{Understood: a.u}
	var facets *map[string][]FacetCount
	if !q.NoFacets {
		facets = &res.Facets
	}
	sc := e.getScratch()
	defer e.accPool.Put(sc)
	cands := e.rank(ctx, sc, a, q, rf, q.Offset+q.Limit, facets)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res.Total = len(cands)
	an := e.analyzer(q.Municipality)
	var page []scored
	for i := q.Offset; i < len(cands) && i < q.Offset+q.Limit; i++ {
		page = append(page, cands[i])
	}
	res.Hits = make([]Hit, len(page))
	explain := func(i int) {
		c := page[i]
		di := e.docs[c.ord]
		dv := viewOf(a, di, e.opt.Neighbours)
		fo := evalDoc(a, &dv, e.v, true)
		h := Hit{ID: di.doc.ID, ExternalID: di.doc.ExternalID, Kind: di.doc.Kind, Name: di.doc.Name, City: di.doc.City,
			Score: c.score, Fit: math.Round(c.fit*100) / 100}
		h.Why.Met, h.Why.Unmet = fo.met, fo.unmet
		for _, fc := range a.certHard {
			if s, _ := di.has(fc); s >= 50 {
				h.Why.Met = appendUnique(h.Why.Met, label(e.v, fc)+" 取得（必須）")
			}
		}
		if !q.NoHighlight {
			h.Why.Matched = an.highlight(a, di)
		}
		res.Hits[i] = h
	}
	if len(page) >= 8 && !q.NoHighlight && runtime.GOMAXPROCS(0) > 1 {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i < len(page); i += 2 {
				explain(i)
			}
		}()
		for i := 0; i < len(page); i += 2 {
			explain(i)
		}
		wg.Wait()
	} else {
		for i := range page {
			explain(i)
		}
	}
	return res, nil
}

func appendUnique(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// scratch is per-search working memory, pooled.
type scratch struct {
	sorted    []int32   // candidates in ordinal order
	out, out2 []scored  // results (reused; valid until the scratch goes back)
	acc       []float32 // text scores by ordinal
	ev        []uint64  // evidence words by ordinal (2 per doc)
	mark      []uint32  // epoch marks by ordinal (candidate set)
	epoch     uint32
	cands     []int32
}

func (e *Engine) getScratch() *scratch {
	n := len(e.docs)
	sc, _ := e.accPool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.acc) < n {
		sc.acc = make([]float32, n+1024)
		sc.ev = make([]uint64, 2*(n+1024))
		sc.mark = make([]uint32, n+1024)
		sc.epoch = 0
	}
	sc.epoch++
	if sc.epoch == 0 { // wrapped
		for i := range sc.mark {
			sc.mark[i] = 0
		}
		sc.epoch = 1
	}
	sc.cands = sc.cands[:0]
	return sc
}

// rank scores candidates and returns the matching ones; the first `top`
// are sorted best first (the rest, counted for Total and facets, are not).
func (e *Engine) rank(ctx context.Context, sc *scratch, a *qa, q Query, rf *resolvedFilters, top int, facets *map[string][]FacetCount) []scored {
	wantFacets := facets != nil
	n := len(e.docs)
	if n == 0 {
		return nil
	}
	acc := sc.acc[:n]
	terms := e.text.selectTerms(a.terms, maxQueryTerms)
	touched := e.text.score(terms, acc, nil)
	defer func() {
		for _, o := range touched {
			acc[o] = 0
		}
	}()
	add := func(o int32) {
		if sc.mark[o] != sc.epoch {
			sc.mark[o] = sc.epoch
			sc.cands = append(sc.cands, o)
		}
	}
	sm := e.slotsFor(a)
	ev := sc.ev
	defer func() {
		for _, o := range sc.cands {
			ev[2*o], ev[2*o+1] = 0, 0
		}
	}()
	// postings of the concepts that bring candidates: every doc found is a
	// candidate and gets its evidence bits
	gen := map[int32]bool{}
	fill := func(id int32, generate bool) {
		if int(id) >= len(e.cpost) || (generate && gen[id]) {
			return
		}
		if generate {
			gen[id] = true
		}
		k := sm.slot(id)
		for _, p := range e.cpost[id] {
			o := int32(p >> 4)
			if generate {
				add(o)
			} else if sc.mark[o] != sc.epoch {
				continue
			}
			if k >= 0 {
				ev[2*o+int32(k>>4)] |= uint64(p&15) << ((k & 15) * 4)
			}
		}
	}
	exact := 0
	for _, id := range a.core {
		fill(id, true)
		if int(id) < len(e.cpost) {
			exact += len(e.cpost[id])
		}
	}
	// docs that only have a broader or related process are weaker answers:
	// looked at when the exact ones are few (they cannot reach the top
	// otherwise)
	if exact < 4*top+500 {
		for _, id := range a.core {
			for _, p := range e.v.concepts[id].isa {
				fill(p, true)
			}
			for _, r := range e.v.concepts[id].rel {
				fill(r.to, true)
			}
		}
	}
	if len(a.core) == 0 {
		for _, w := range a.wishes {
			for _, id := range w.alts {
				fill(id, true)
			}
		}
	}
	labsMatter := !((a.kind == KindRFQ || a.kind == KindPartner) && !(a.wantLab && !a.noLab)) && !a.noLab
	if labsMatter {
		for _, t := range a.topicList {
			fill(t.id, true)
			for _, r := range e.v.concepts[t.id].rel {
				fill(r.to, true)
			}
		}
	}
	if a.kind == KindNeeds || (a.kind == KindSearch && len(a.core) == 0) {
		for _, c := range a.capList {
			fill(c.id, true)
		}
	}
	if len(a.core) == 0 && len(a.wishes) == 0 {
		for _, id := range a.mats {
			fill(id, true)
		}
	}
	structured := len(sc.cands)
	maxText := float32(0)
	for _, o := range touched {
		if acc[o] > maxText && !e.docs[o].deleted {
			maxText = acc[o]
		}
	}
	// text-only candidates must be reasonably close to the best text match
	minText := float32(0.2)
	if structured > 0 {
		minText = 0.35
	}
	for _, o := range touched {
		if maxText > 0 && acc[o]/maxText >= minText {
			add(o)
		}
	}
	// evidence of the other concepts asked for, for the candidates
	for _, id := range sm.ids {
		if !gen[id] {
			fill(id, false)
		}
	}
	browse := a.empty || (len(terms) == 0 && len(sc.cands) == 0)
	if browse && !rf.explicit && len(a.cityHard) == 0 && len(a.certHard) == 0 {
		return nil // nothing asked at all
	}
	hf := e.hotFilter(a, q, rf)
	if hf.none {
		return nil
	}
	cityLvl := make([]int8, len(e.cityNames))
	for i, c := range e.cityNames {
		cityLvl[i] = cityLevel(a, c, e.opt.Neighbours)
	}
	var counts0, counts1 []int32
	if wantFacets {
		counts0 = make([]int32, len(e.facetNames))
	}
	eval := func(list []int32, out []scored, counts []int32) []scored {
		var w [2]uint64
		for _, o := range list {
			h := &e.hot[o]
			if h.deleted || !hf.pass(*h) {
				continue
			}
			d := dview{lab: h.lab, lots: h.lots, hasMats: h.hasMats, maxSize: float64(h.maxSize), minHole: float64(h.minHole), tol: float64(h.tol),
				cityLevel: cityLvl[h.city], di: e.docs[o], sm: sm}
			if sc.mark[o] == sc.epoch {
				w[0], w[1] = ev[2*o], ev[2*o+1]
				d.w = &w
			}
			if !e.passes(&d, a, q, rf) {
				continue
			}
			t := 0.0
			if maxText > 0 {
				t = float64(acc[o] / maxText)
			}
			fo := evalDoc(a, &d, e.v, false)
			fit := fo.fit * kindFactor(a, h.lab)
			if fit < 0.05 && t < 0.2 && !browse {
				continue
			}
			out = append(out, scored{ord: o, score: fit + textWeight*t, fit: fit, text: t})
			if counts != nil {
				for _, f := range e.fidData[e.fidOff[o]:e.fidOff[o+1]] {
					counts[f]++
				}
			}
		}
		return out
	}
	list := sc.cands
	if browse {
		list = make([]int32, 0, n)
		for o := range e.docs {
			list = append(list, int32(o))
		}
	} else if len(list) > 256 {
		// ascending ordinals: the per-doc arrays are then read in order
		sorted := sc.sorted[:0]
		for o := 0; o < n; o++ {
			if sc.mark[o] == sc.epoch {
				sorted = append(sorted, int32(o))
			}
		}
		list = sorted
		sc.sorted = sorted
	}
	var out []scored
	if len(list) >= 4000 && runtime.GOMAXPROCS(0) > 1 {
		half := len(list) / 2
		var part []scored
		var wg sync.WaitGroup
		wg.Add(1)
		if wantFacets {
			counts1 = make([]int32, len(e.facetNames))
		}
		go func() {
			defer wg.Done()
			part = eval(list[half:], sc.out2[:0], counts1)
		}()
		out = eval(list[:half], sc.out[:0], counts0)
		wg.Wait()
		sc.out2 = part
		out = append(out, part...)
		for i, c := range counts1 {
			counts0[i] += c
		}
	} else {
		out = eval(list, sc.out[:0], counts0)
	}
	if wantFacets {
		*facets = e.facetsFromCounts(counts0)
	}
	sc.out = out
	if ctx.Err() != nil {
		return nil
	}
	if browse {
		sort.Slice(out, func(i, j int) bool {
			ki, kj := e.docs[out[i].ord].doc.NameKana, e.docs[out[j].ord].doc.NameKana
			if ki != kj {
				return ki < kj
			}
			return out[i].ord < out[j].ord
		})
		return out
	}
	partialSort(out, top)
	return out
}

const maxQueryTerms = 24

func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.ord < b.ord
}

// partialSort puts the best k items, sorted, at the front.
func partialSort(s []scored, k int) {
	if k >= len(s) || k <= 0 || len(s) < 2*k+64 {
		sort.Slice(s, func(i, j int) bool { return better(s[i], s[j]) })
		return
	}
	// quickselect the k best to the front, then sort them
	lo, hi := 0, len(s)-1
	for lo < hi {
		p := s[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for better(s[i], p) {
				i++
			}
			for better(p, s[j]) {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			lo = hi
		}
	}
	top := s[:k]
	sort.Slice(top, func(i, j int) bool { return better(top[i], top[j]) })
}

// kindFactor lowers the kind of organization the request does not want.
func kindFactor(a *qa, lab bool) float64 {
	switch a.kind {
	case KindRFQ, KindPartner:
		if lab && !(a.wantLab && !a.noLab) {
			return 0.03
		}
	case KindNeeds:
		if lab && a.wantCo && !a.wantLab {
			return 0.1
		}
		if !lab && a.wantLab && !a.wantCo {
			return 0.25
		}
	default:
		if lab && a.wantCo && !a.wantLab {
			return 0.3
		}
		if !lab && a.wantLab && !a.wantCo {
			return 0.3
		}
	}
	return 1
}

// passes applies explicit filters and the certifications the text makes
// a must (municipality and cities are checked on docHot).
func (e *Engine) passes(d *dview, a *qa, q Query, rf *resolvedFilters) bool {
	if rf.any && !rf.match(d.di) {
		return false
	}
	if q.NoTextConstraints {
		return true
	}
	if len(a.certHard) > 0 {
		ok := false
		for _, c := range a.certHard {
			if s, _ := d.has(c); s >= 50 {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// slotMap gives the concepts a query reads a slot in the per-query
// evidence table (4 bits each, at most 32).
type slotMap struct {
	idx []int8
	ids []int32
}

func (sm *slotMap) slot(id int32) int {
	if int(id) < len(sm.idx) {
		return int(sm.idx[id])
	}
	return -1
}

func (e *Engine) slotsFor(a *qa) *slotMap {
	sm := &slotMap{idx: make([]int8, len(e.v.concepts))}
	for i := range sm.idx {
		sm.idx[i] = -1
	}
	put := func(id int32) {
		if int(id) < len(sm.idx) && sm.idx[id] < 0 && len(sm.ids) < 32 {
			sm.idx[id] = int8(len(sm.ids))
			sm.ids = append(sm.ids, id)
		}
	}
	for _, id := range a.core {
		put(id)
	}
	for _, id := range a.mats {
		put(id)
	}
	for _, w := range a.wishes {
		for _, id := range w.alts {
			put(id)
		}
	}
	for _, id := range a.certHard {
		put(id)
	}
	for _, id := range a.certPref {
		put(id)
	}
	for _, id := range a.markets {
		put(id)
	}
	for _, t := range a.topicList {
		put(t.id)
	}
	for _, c := range a.capList {
		put(c.id)
	}
	for _, id := range a.core {
		for _, p := range e.v.concepts[id].isa {
			put(p)
		}
		for _, r := range e.v.concepts[id].rel {
			put(r.to)
		}
	}
	for _, t := range a.topicList {
		for _, r := range e.v.concepts[t.id].rel {
			put(r.to)
		}
	}
	return sm
}

// docHot is the per-doc data the filters touch, kept compact and apart from
// the docs so that scanning many candidates stays in cache.
type docHot struct {
	muni    uint16
	city    uint16
	lab     bool
	deleted bool
	lots    uint8
	hasMats bool
	maxSize float32
	minHole float32
	tol     float32
}

// hotFilter is the municipality and city part of the filters, on indexes.
type hotFilter struct {
	none       bool
	lots       uint8    // explicit lot filter (any of)
	filterCity []uint16 // explicit city filter (any of)
	muni       int32    // -1 = any
	cityIn     []uint16
	cityOut    []uint16
	noLab      bool
	noCo       bool
}

func (e *Engine) hotFilter(a *qa, q Query, rf *resolvedFilters) hotFilter {
	hf := hotFilter{muni: -1, lots: rf.lots}
	if q.Municipality != "" {
		m, ok := e.muniIdx[q.Municipality]
		if !ok {
			hf.none = true
			return hf
		}
		hf.muni = int32(m)
	}
	if len(rf.cities) > 0 {
		for _, c := range rf.cities {
			if i, ok := e.cityIdx[c]; ok {
				hf.filterCity = append(hf.filterCity, i)
			}
		}
		if len(hf.filterCity) == 0 {
			hf.none = true
			return hf
		}
	}
	if q.NoTextConstraints {
		return hf
	}
	hf.noLab, hf.noCo = a.noLab, a.noCo
	for _, c := range a.cityHard {
		if i, ok := e.cityIdx[c]; ok {
			hf.cityIn = append(hf.cityIn, i)
		}
	}
	if len(a.cityHard) > 0 && len(hf.cityIn) == 0 {
		hf.none = true
	}
	for _, c := range a.cityExcl {
		if i, ok := e.cityIdx[c]; ok {
			hf.cityOut = append(hf.cityOut, i)
		}
	}
	return hf
}

func (hf *hotFilter) pass(h docHot) bool {
	if hf.muni >= 0 && int32(h.muni) != hf.muni {
		return false
	}
	if hf.lots != 0 && h.lots&hf.lots == 0 {
		return false
	}
	if len(hf.filterCity) > 0 {
		ok := false
		for _, c := range hf.filterCity {
			if c == h.city {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if (hf.noLab && h.lab) || (hf.noCo && !h.lab) {
		return false
	}
	if len(hf.cityIn) > 0 {
		ok := false
		for _, c := range hf.cityIn {
			if c == h.city {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, c := range hf.cityOut {
		if c == h.city {
			return false
		}
	}
	return true
}

func (e *Engine) internHot(d *Doc) docHot {
	m, ok := e.muniIdx[d.Municipality]
	if !ok {
		m = uint16(len(e.muniIdx))
		e.muniIdx[d.Municipality] = m
	}
	city := d.City
	if city == "" {
		city = CityName(d.CityCode) // a doc located by its code alone
	}
	c, ok := e.cityIdx[city]
	if !ok {
		c = uint16(len(e.cityIdx))
		e.cityIdx[city] = c
		e.cityNames = append(e.cityNames, city)
	}
	return docHot{muni: m, city: c, lab: d.Kind == KindLab}
}

// DocConcepts lists what the engine read about a doc (concept, evidence
// strength 0–100 and flags), for staff debugging of profiles.
func (e *Engine) DocConcepts(id int64) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	ord, ok := e.byID[id]
	if !ok {
		return nil
	}
	di := e.docs[ord]
	var out []string
	for _, c := range di.cs {
		var fl []string
		for _, f := range []struct {
			b uint8
			n string
		}{{fStruct, "field"}, {fText, "text"}, {fNeg, "negated"}, {fOut, "partner"}, {fMain, "main"}, {fInherited, "implied"}} {
			if c.f&f.b != 0 {
				fl = append(fl, f.n)
			}
		}
		out = append(out, fmt.Sprintf("%s %d %s", e.v.concepts[c.id].key, c.s, strings.Join(fl, ",")))
	}
	out = append(out, fmt.Sprintf("size=%gmm hole=%gmm tol=%gmm lots=%s", di.facts.maxSize, di.facts.minHole, di.facts.tol, lotNames(di.lots)))
	return out
}
