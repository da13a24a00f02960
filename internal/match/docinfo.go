package match

import (
	"sort"
	"strings"
)

// flags of a doc concept
const (
	fStruct    uint8 = 1 << iota // from a structured field (taxonomy value)
	fText                        // read from free text
	fNeg                         // the text says it is NOT done / handled
	fOut                         // done through partner companies (協力会社)
	fMain                        // main process / main research field
	fInherited                   // implied by a finer concept (isa)
)

// strengths of the evidence (0–100)
const (
	sStruct = 100
	sKw     = 85 // lab keywords
	sEquip  = 80
	sText   = 70
	sProd   = 60
	sOut    = 35
	sWeakTp = 40 // topic cue read in a lab's text (not its declared field)
)

type dconcept struct {
	id int32
	s  uint8
	f  uint8
}

// lot bits
const (
	lotProto uint8 = 1 << iota
	lotSmall
	lotMass
)

// docInfo is what the engine keeps about one indexed doc.
type docInfo struct {
	doc     *Doc
	cs      []dconcept // sorted by id
	facts   docFacts
	lots    uint8 // from the structured field (or text if none)
	hasMats bool  // structured materials listed
	isLab   bool
	city    string
	deleted bool
	fv      [][2]string // facet values (until interned by the engine)
	spans   []hlSpan    // concept mentions for highlighting
}

// has returns the evidence for concept id (0 if absent or negated).
func (di *docInfo) has(id int32) (uint8, uint8) {
	cs := di.cs
	i := sort.Search(len(cs), func(i int) bool { return cs[i].id >= id })
	if i < len(cs) && cs[i].id == id {
		if cs[i].f&fNeg != 0 {
			return 0, cs[i].f
		}
		return cs[i].s, cs[i].f
	}
	return 0, 0
}

// docAnalyzer reads docs with one vocabulary view (base + a municipality's
// extra synonyms).
type docAnalyzer struct {
	v     *vocab
	tries []*trie
	tf    map[uint64]float32 // text-relevance terms being collected (nil: none)
	tlen  float32
	buf   ntext // reused normalisation buffer
	// spans of concept mentions, kept for highlighting
	spans    []hlSpan
	curField uint8
	curItem  int
}

// hlSpan is a concept mention in a doc field (byte offsets), kept at index
// time so that explanations need not read the doc again.
type hlSpan struct {
	c          uint16
	start, end uint16
	item       uint8
	field      uint8
}

// fields of a doc for highlighting
const (
	hfName uint8 = iota
	hfProcesses
	hfSpecialties
	hfMaterials
	hfCertifications
	hfMarkets
	hfTopics
	hfEquipment
	hfProducts
	hfKeywords
	hfPR
	hfStrengths
	hfCatch
	hfSeeds
	hfUniversity
	hfDepartment
)

var hlFieldNames = [...]string{"name", "processes", "specialties", "materials", "certifications", "markets", "research_topics", "equipment",
	"products", "keywords", "pr_text", "strengths", "catch_phrase", "seeds_text", "university", "department"}

func (an *docAnalyzer) at(field uint8, item int) { an.curField, an.curItem = field, item }

// addTerms adds the bigrams / ASCII tokens of t and the concept tokens of
// its mentions (and, at half weight, of their broader concepts).
func (an *docAnalyzer) addTerms(t *ntext, ms []mention, w float32) {
	if an.tf == nil || w == 0 {
		return
	}
	for _, m := range ms {
		if m.end <= m.start || m.end > len(t.r) || m.c > 0xffff || an.curItem > 0xff {
			continue
		}
		if k := an.v.concepts[m.c].kind; k == kKw || k == kMod {
			continue // never asked for as such
		}
		st, en := t.span(m.start, m.end)
		if en <= 0xffff {
			an.spans = append(an.spans, hlSpan{c: uint16(m.c), start: uint16(st), end: uint16(en), item: uint8(an.curItem), field: an.curField})
		}
	}
	textTerms(t.r, func(k uint64) {
		an.tf[k] += w
		an.tlen += w
	})
	for _, m := range ms {
		an.tf[conceptKey(m.c)] += w
		for _, p := range an.v.concepts[m.c].anc {
			an.tf[conceptKey(p)] += w / 2
		}
	}
}

// addText adds a field that gives no capabilities (name, university).
func (an *docAnalyzer) addText(s string, w float32) {
	if an.tf == nil || s == "" {
		return
	}
	t := &an.buf
	normalizeInto(t, s)
	var ms []mention
	scanTries(t, an.tries, func(m mention) { ms = append(ms, m) })
	an.addTerms(t, ms, w)
}

type conceptAcc map[int32]dconcept

func (a conceptAcc) add(id int32, s, f uint8) {
	c, ok := a[id]
	if !ok {
		a[id] = dconcept{id: id, s: s, f: f}
		return
	}
	if f&fNeg != 0 && c.f&fStruct == 0 {
		// a negation in the text wins over other text evidence
		c.f |= fNeg
		a[id] = c
		return
	}
	if s > c.s {
		c.s = s
		c.f = (c.f &^ (fOut | fNeg | fInherited)) | f
	} else {
		c.f |= f & (fStruct | fMain)
	}
	a[id] = c
}

var lotLabels = map[string]uint8{"試作": lotProto, "小ロット": lotSmall, "量産": lotMass}

// fieldConcepts maps the values of a structured field onto concepts of the
// given kinds: the exact label / variant first, else concepts read in it.
func (an *docAnalyzer) fieldConcepts(values []string, kinds []ckind, w float32, fn func(i int, id int32)) {
	for i, val := range values {
		an.curItem = i
		t := &an.buf
		normalizeInto(t, val)
		var ids []int32
		var ms []mention
		for _, id := range an.v.surfaces[string(t.r)] {
			if kindIn(an.v.concepts[id].kind, kinds) {
				ids = append(ids, id)
				ms = append(ms, mention{c: id, start: 0, end: len(t.r)})
			}
		}
		if len(ids) == 0 {
			scanTries(t, an.tries, func(m mention) {
				if kindIn(an.v.concepts[m.c].kind, kinds) {
					ids = append(ids, m.c)
					ms = append(ms, m)
				}
			})
			scanRegex(t.r, an.v.res, func(m mention) {
				if kindIn(an.v.concepts[m.c].kind, kinds) {
					ids = append(ids, m.c)
					ms = append(ms, m)
				}
			})
		}
		an.addTerms(t, ms, w)
		for _, id := range ids {
			fn(i, id)
		}
	}
}

func kindIn(k ckind, ks []ckind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

var (
	negCues = cues("おりません", "いません", "ておらず", "しません", "できません", "いたしません", "行いません", "扱いません",
		"不可", "対応外", "非対応", "対象外", "扱いなし", "取り扱いなし", "お受けできません", "扱っていない", "行っていない", "対応していない", "受けていない")
	outCues  = cues("協力会社", "協力工場", "協力企業", "外注先", "提携先", "パートナー企業", "外部委託", "外注")
	outVerbs = cues("手配", "連携", "委託", "外注", "依頼")
)

// analyze reads one doc.
func (an *docAnalyzer) analyze(d *Doc) *docInfo {
	di := &docInfo{doc: d, isLab: d.Kind == KindLab, city: d.City}
	acc := conceptAcc{}
	pk := []ckind{kProc, kSpec, kEquip}
	fw := fieldWeights
	an.spans = nil
	an.at(hfName, 0)
	an.addText(d.Name, fw.name)
	an.at(hfUniversity, 0)
	an.addText(d.University, fw.univ)
	an.at(hfDepartment, 0)
	an.addText(d.Department, fw.univ)
	an.at(hfProcesses, 0)
	an.fieldConcepts(d.Processes, pk, fw.proc, func(i int, id int32) {
		f := fStruct
		if i == 0 {
			f |= fMain
		}
		acc.add(id, sStruct, f)
	})
	an.at(hfSpecialties, 0)
	an.fieldConcepts(d.Specialties, []ckind{kSpec, kProc, kEquip, kMat, kGrade}, fw.spec, func(_ int, id int32) { acc.add(id, sStruct, fStruct) })
	an.at(hfMaterials, 0)
	an.fieldConcepts(d.Materials, []ckind{kMat, kGrade}, fw.mat, func(_ int, id int32) {
		acc.add(id, sStruct, fStruct)
		di.hasMats = true
	})
	an.at(hfCertifications, 0)
	an.fieldConcepts(d.Certifications, []ckind{kCert}, fw.mkt, func(_ int, id int32) { acc.add(id, sStruct, fStruct) })
	an.at(hfMarkets, 0)
	an.fieldConcepts(d.Markets, []ckind{kMkt}, fw.mkt, func(_ int, id int32) { acc.add(id, sStruct, fStruct) })
	topicW := fw.topics
	an.at(hfTopics, 0)
	an.fieldConcepts(d.ResearchTopics, []ckind{kTopic}, topicW, func(i int, id int32) {
		f := fStruct
		if i == 0 {
			f |= fMain
		}
		acc.add(id, sStruct, f)
	})
	for _, l := range d.Lot {
		if b, ok := lotLabels[strings.TrimSpace(l)]; ok {
			di.lots |= b
		} else if ids := an.v.lookupKind(l, kLot); len(ids) > 0 {
			di.lots |= lotLabels[an.v.concepts[ids[0]].label]
		}
	}
	// lists of things: equipment, products, keywords
	for i, e := range d.Equipment {
		an.at(hfEquipment, i)
		an.scanInto(acc, e, sEquip, false, fw.equip)
	}
	for i, p := range d.Products {
		an.at(hfProducts, i)
		an.scanInto(acc, p, sProd, false, fw.prod)
	}
	for i, k := range d.Keywords {
		an.at(hfKeywords, i)
		an.scanInto(acc, k, sKw, di.isLab, fw.keywords)
	}
	// free text, with negations and partner-made steps
	factsDone := false
	for i, txt := range []string{d.PRText, d.Strengths, d.CatchPhrase, d.SeedsText} {
		if txt == "" {
			continue
		}
		an.at([...]uint8{hfPR, hfStrengths, hfCatch, hfSeeds}[i], 0)
		t := &an.buf
		normalizeInto(t, txt)
		an.scanText(acc, t, di.isLab, fw.text)
		if i == 0 || (i == 3 && !factsDone) {
			di.facts = readDocFacts(d, t)
			factsDone = true
		}
	}
	if !factsDone {
		di.facts = readDocFacts(d, &ntext{})
	}
	// lots from text when the field is empty
	if di.lots == 0 {
		for lbl, b := range lotLabels {
			if id, ok := an.v.get("lot:" + lbl); ok {
				if c, ok := acc[id]; ok && c.f&fNeg == 0 {
					di.lots |= b
				}
			}
		}
	}
	// capabilities implied by others (金型製作 + 樹脂射出成形 → 射出成形金型)
	for _, cb := range an.v.dcombos {
		if c, ok := acc[cb.out]; ok && c.f&fNeg == 0 && c.s >= sText {
			continue
		}
		weakest := uint8(255)
		for _, g := range cb.groups {
			best := uint8(0)
			for _, id := range g {
				if c, ok := acc[id]; ok && c.f&(fNeg|fOut) == 0 && c.s > best {
					best = c.s
				}
			}
			if best < weakest {
				weakest = best
			}
		}
		if weakest >= sText {
			acc.add(cb.out, sText, fText)
		}
	}
	// isa closure
	base := make([]dconcept, 0, len(acc))
	for _, c := range acc {
		base = append(base, c)
	}
	for _, c := range base {
		if c.f&fNeg != 0 || (c.f&fStruct == 0 && c.f&fOut == 0 && (c.s <= sProd || an.v.concepts[c.id].prodlike)) {
			// a product name (アルミ筐体) says what is handled, not how it is made
			continue
		}
		for _, p := range an.v.concepts[c.id].anc {
			f := (c.f & (fOut | fText)) | fInherited
			if c.f&fStruct != 0 {
				f |= fStruct
			}
			if old, ok := acc[p]; ok && old.f&fNeg != 0 && old.f&fStruct == 0 && c.f&fStruct == 0 {
				continue
			}
			acc.add(p, c.s, f)
		}
	}
	di.fv = buildFacetVals(d, di.lots)
	di.spans = append([]hlSpan(nil), an.spans...) // exact size
	an.spans = nil
	di.cs = make([]dconcept, 0, len(acc))
	for _, c := range acc {
		di.cs = append(di.cs, c)
	}
	sort.Slice(di.cs, func(i, j int) bool { return di.cs[i].id < di.cs[j].id })
	return di
}

func (an *docAnalyzer) scanInto(acc conceptAcc, s string, strength uint8, lab bool, w float32) {
	t := &an.buf
	normalizeInto(t, s)
	var ms []mention
	add := func(m mention) {
		ms = append(ms, m)
		c := an.v.concepts[m.c]
		st := strength
		if c.kind == kTopic && lab {
			st = sWeakTp
		}
		acc.add(m.c, st, fText)
		if c.kind == kKw || c.kind == kProd {
			for _, tl := range c.topic {
				if lab && tl.w >= 0.5 {
					acc.add(tl.to, sWeakTp, fText)
				}
			}
		}
	}
	scanTries(t, an.tries, add)
	scanRegex(t.r, an.v.res, add)
	an.addTerms(t, ms, w)
}

// cueIndex finds the first occurrence of any of a few cue strings in a
// rune slice in one pass (cues grouped by their first rune).
type cueIndex struct {
	bits  [0x10000 / 64]uint64 // first runes (BMP)
	byRun map[rune][][]rune
}

func newCueIndex(cl cueList) *cueIndex {
	ix := &cueIndex{byRun: map[rune][][]rune{}}
	for _, c := range cl {
		r := []rune(c)
		if len(r) > 0 {
			ix.byRun[r[0]] = append(ix.byRun[r[0]], r)
			if r[0] < 0x10000 {
				ix.bits[r[0]/64] |= 1 << (r[0] % 64)
			}
		}
	}
	return ix
}

func (ix *cueIndex) first(r []rune, from, to int) int {
	for i := from; i < to; i++ {
		if c := r[i]; c < 0x10000 && ix.bits[c/64]&(1<<(c%64)) == 0 {
			continue
		}
		for _, c := range ix.byRun[r[i]] {
			if i+len(c) <= to && runesEqual(r[i:i+len(c)], c) {
				return i
			}
		}
	}
	return -1
}

func runesEqual(a, b []rune) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var (
	negIndex     = newCueIndex(negCues)
	outIndex     = newCueIndex(outCues)
	outVerbIndex = newCueIndex(outVerbs)
)

// scanText reads concepts in a free text; in each sentence (and each
// bracketed part), concepts before a negation cue are negated and concepts
// before a partner cue are marked as done by partners.
func (an *docAnalyzer) scanText(acc conceptAcc, t *ntext, lab bool, w float32) {
	var ms []mention
	collect := func(m mention) { ms = append(ms, m) }
	scanTries(t, an.tries, collect)
	scanRegex(t.r, an.v.res, collect)
	if len(ms) == 0 {
		an.addTerms(t, nil, w)
		return
	}
	var pos []mention // mentions that are not negated: their concept tokens
	defer func() { an.addTerms(t, pos, w) }()
	for _, seg := range textSegments(t.r) {
		negAt := negIndex.first(t.r, seg[0], seg[1])
		outAt := -1
		if outVerbIndex.first(t.r, seg[0], seg[1]) >= 0 {
			outAt = outIndex.first(t.r, seg[0], seg[1])
		}
		for _, m := range ms {
			if m.start < seg[0] || m.end > seg[1] {
				continue
			}
			c := an.v.concepts[m.c]
			switch {
			case negAt >= 0 && m.end <= negAt:
				acc.add(m.c, 0, fNeg|fText)
				continue
			case outAt >= 0 && m.end <= outAt && (c.kind == kProc || c.kind == kSpec):
				acc.add(m.c, sOut, fOut|fText)
				continue
			default:
				st := uint8(sText)
				if c.kind == kTopic && lab {
					st = sWeakTp
				}
				acc.add(m.c, st, fText)
				pos = append(pos, m)
				if lab && (c.kind == kKw || c.kind == kProd) {
					for _, tl := range c.topic {
						if tl.w >= 0.5 {
							acc.add(tl.to, sWeakTp, fText)
						}
					}
				}
			}
		}
	}
}

// textSegments splits runes into sentences and, inside them, bracketed
// parts: a negation inside (…) does not reach outside.
func textSegments(r []rune) [][2]int {
	var out [][2]int
	for _, se := range sentenceSplit(r) {
		s := se[0]
		for i := se[0]; i < se[1]; i++ {
			switch r[i] {
			case '(', ')', '【', '】', '「', '」', '※':
				if i > s {
					out = append(out, [2]int{s, i})
				}
				s = i + 1
			}
		}
		if s < se[1] {
			out = append(out, [2]int{s, se[1]})
		}
	}
	return out
}
