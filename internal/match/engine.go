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
	mu       sync.RWMutex
	opt      Options
	v        *vocab              // base vocabulary + concepts added by staff
	overlays map[string]*overlay // municipality → extra synonyms
	docs     []*docInfo          // by ordinal
	byID     map[int64]int32
	text     *textIndex
	cpost    [][]int32 // concept id → ordinals (at insert time)
	live     int
	dead     int
	accPool  sync.Pool
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
	e.cpost = make([][]int32, len(e.v.concepts))
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
	di := an.analyze(d)
	tf := map[uint64]float32{}
	l := docTerms(d, tf)
	return analyzed{di: di, tf: tf, len: l}
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
	res := e.analyzeAll(cp)
	for i := range cp {
		e.insert(res[i])
	}
	return nil
}

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
	e.byID[d.ID] = ord
	e.text.add(ord, a.tf, a.len)
	for _, c := range a.di.cs {
		if c.f&fNeg != 0 || c.s < 50 {
			continue
		}
		for int(c.id) >= len(e.cpost) {
			e.cpost = append(e.cpost, nil)
		}
		e.cpost[c.id] = append(e.cpost[c.id], ord)
	}
	e.live++
}

func (e *Engine) tombstone(ord int32) {
	di := e.docs[ord]
	if di.deleted {
		return
	}
	di.deleted = true
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
	res := e.analyzeAll(live)
	for i := range live {
		e.insert(res[i])
	}
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
	res := e.analyzeAll(redo)
	for i := range redo {
		e.insert(res[i])
	}
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

// ErrEmptyIndex is returned by JointGroups on an empty index.
var ErrEmptyIndex = errors.New("match: index is empty")

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
	cands := e.rank(ctx, a, q, rf)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res.Total = len(cands)
	if !q.NoFacets {
		res.Facets = e.facets(cands)
	}
	an := e.analyzer(q.Municipality)
	for i := q.Offset; i < len(cands) && i < q.Offset+q.Limit; i++ {
		c := cands[i]
		di := e.docs[c.ord]
		fo := evalDoc(a, di, e.v, e.opt.Neighbours, true)
		h := Hit{ID: di.doc.ID, ExternalID: di.doc.ExternalID, Kind: di.doc.Kind, Name: di.doc.Name, City: di.doc.City,
			Score: c.score, Fit: math.Round(c.fit*100) / 100}
		h.Why.Met, h.Why.Unmet = fo.met, fo.unmet
		for _, fc := range a.certHard {
			if s, _ := di.has(fc); s >= 50 {
				h.Why.Met = appendUnique(h.Why.Met, label(e.v, fc)+" 取得（必須）")
			}
		}
		h.Why.Matched = an.highlight(a, di.doc)
		res.Hits = append(res.Hits, h)
	}
	if res.Hits == nil {
		res.Hits = []Hit{}
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

// rank scores candidates and returns the matching ones, best first.
func (e *Engine) rank(ctx context.Context, a *qa, q Query, rf *resolvedFilters) []scored {
	n := len(e.docs)
	if n == 0 {
		return nil
	}
	accp, _ := e.accPool.Get().(*[]float32)
	if accp == nil || len(*accp) < n {
		s := make([]float32, n+1024)
		accp = &s
	}
	acc := (*accp)[:n]
	defer func() {
		e.accPool.Put(accp)
	}()
	terms := e.text.selectTerms(a.terms, 48)
	touched := e.text.score(terms, acc, nil)
	// structured candidates
	candSet := map[int32]struct{}{}
	addPost := func(id int32) {
		if int(id) < len(e.cpost) {
			for _, o := range e.cpost[id] {
				candSet[o] = struct{}{}
			}
		}
	}
	for _, id := range a.core {
		addPost(id)
		for _, p := range e.v.concepts[id].isa {
			addPost(p)
		}
	}
	for _, w := range a.wishes {
		for _, id := range w.alts {
			addPost(id)
		}
	}
	for id := range a.topics {
		addPost(id)
		for _, r := range e.v.concepts[id].rel {
			addPost(r.to)
		}
	}
	if a.kind == KindNeeds || a.kind == KindSearch {
		for id := range a.caps {
			addPost(id)
		}
	}
	if len(a.core) == 0 && len(a.wishes) == 0 {
		for _, id := range a.mats {
			addPost(id)
		}
	}
	for _, o := range touched {
		candSet[o] = struct{}{}
	}
	browse := a.empty || (len(terms) == 0 && len(candSet) == 0)
	if browse && !rf.any && len(a.cityHard) == 0 && len(a.certHard) == 0 {
		// nothing asked at all
		for _, o := range touched {
			acc[o] = 0
		}
		return nil
	}
	maxText := float32(0)
	for _, o := range touched {
		if acc[o] > maxText && !e.docs[o].deleted {
			maxText = acc[o]
		}
	}
	var out []scored
	consider := func(o int32) {
		di := e.docs[o]
		if di.deleted || !e.passes(di, a, q, rf) {
			return
		}
		t := 0.0
		if maxText > 0 {
			t = float64(acc[o] / maxText)
		}
		fo := evalDoc(a, di, e.v, e.opt.Neighbours, false)
		fit := fo.fit * kindFactor(a, di)
		score := fit + textWeight*t
		if fit < 0.05 && t < 0.2 && !browse {
			return
		}
		out = append(out, scored{ord: o, score: score, fit: fit, text: t})
	}
	if browse {
		for o := range e.docs {
			consider(int32(o))
		}
	} else {
		for o := range candSet {
			consider(o)
		}
	}
	for _, o := range touched {
		acc[o] = 0
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
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].ord < out[j].ord
	})
	return out
}

// kindFactor lowers the kind of organization the request does not want.
func kindFactor(a *qa, di *docInfo) float64 {
	lab := di.isLab
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

// passes applies explicit filters and the hard constraints read in the text.
func (e *Engine) passes(di *docInfo, a *qa, q Query, rf *resolvedFilters) bool {
	d := di.doc
	if q.Municipality != "" && d.Municipality != q.Municipality {
		return false
	}
	if !rf.match(di) {
		return false
	}
	if q.NoTextConstraints {
		return true
	}
	if a.noLab && di.isLab {
		return false
	}
	if a.noCo && !di.isLab {
		return false
	}
	if len(a.certHard) > 0 {
		ok := false
		for _, c := range a.certHard {
			if s, _ := di.has(c); s >= 50 {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(a.cityHard) > 0 && !containsStr(a.cityHard, d.City) {
		return false
	}
	if len(a.cityExcl) > 0 && containsStr(a.cityExcl, d.City) {
		return false
	}
	return true
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
