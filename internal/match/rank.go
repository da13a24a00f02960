package match

import (
	"fmt"
	"math"
	"strings"
)

// Ranking: every candidate gets an estimated fit on the judges' 0–3 scale
// (3 = meets the main process, the material, the wishes and the
// constraints; each miss costs what it costs a human judge: a missing
// secondary wish about one grade, a wrong material or a step only done by a
// partner about two) plus text relevance as a smaller, continuous part.

const (
	penMaterial      = 2.0
	penMaterialUnk   = 1.0
	penOutsourced    = 2.0
	penRelatedCore   = 2.0
	penLot           = 1.0
	penLotUnknown    = 0.3
	penCertPreferred = 2.0
	penCityNeighbour = 1.0
	penCityFar       = 2.0
	penHoleMiss      = 2.0
	penHoleUnknown   = 1.0
	penMarket        = 0.7
	penTolerance     = 1.0
	textWeight       = 0.35
)

type fitOut struct {
	fit   float64
	met   []string
	unmet []string
}

func (f *fitOut) addMet(explain bool, s string, args ...any) {
	if explain {
		f.met = append(f.met, fmt.Sprintf(s, args...))
	}
}
func (f *fitOut) addUnmet(explain bool, s string, args ...any) {
	if explain {
		f.unmet = append(f.unmet, fmt.Sprintf(s, args...))
	}
}

// dview is what the fit estimate reads about a doc: its evidence for
// concepts (from the per-query evidence table while ranking, or from the
// doc itself when explaining) and a few facts.
type dview struct {
	lab       bool
	lots      uint8
	hasMats   bool
	maxSize   float64
	minHole   float64
	tol       float64
	city      string
	cityLevel int8 // for preferred cities: 0 in, 1 neighbour, 2 farther
	di        *docInfo
	w         *[2]uint64 // evidence words while ranking (nil: use di)
	sm        *slotMap
}

func (d *dview) has(id int32) (uint8, uint8) {
	if d.w != nil {
		if k := d.sm.slot(id); k >= 0 {
			return levelEvidence(uint8(d.w[k>>4]>>((k&15)*4)) & 15)
		}
	}
	return d.di.has(id)
}

// viewOf builds the view of a doc for explanations.
func viewOf(a *qa, di *docInfo, nb NeighbourFunc) dview {
	d := dview{lab: di.isLab, lots: di.lots, hasMats: di.hasMats, maxSize: di.facts.maxSize, minHole: di.facts.minHole, tol: di.facts.tol, city: di.city, di: di}
	d.cityLevel = cityLevel(a, di.city, nb)
	return d
}

func cityLevel(a *qa, city string, nb NeighbourFunc) int8 {
	switch {
	case len(a.cityPref) == 0:
		return 0
	case containsStr(a.cityPref, city):
		return 0
	case isNeighbourOfAny(nb, city, a.cityPref):
		return 1
	}
	return 2
}

// evidence levels (4 bits per concept: 3 bits level, 1 bit main)
var levelS = [8]uint8{0, sOut, sProd, sText, sEquip, sKw, sStruct, sStruct}

func evidenceLevel(s, f uint8) uint8 {
	var l uint8
	switch {
	case f&fNeg != 0:
		return 0
	case s >= 95 && f&fInherited != 0:
		l = 7
	case s >= 95:
		l = 6
	case s >= 85:
		l = 5
	case s >= 80:
		l = 4
	case s >= 70:
		l = 3
	case s >= 60:
		l = 2
	case f&fOut != 0 && s > 0:
		l = 1
	default:
		return 0
	}
	if f&fMain != 0 {
		return l<<1 | 1
	}
	return l << 1
}

func levelEvidence(code uint8) (uint8, uint8) {
	l := code >> 1
	var f uint8
	switch l {
	case 0:
		return 0, 0
	case 1:
		f = fOut
	case 6:
		f = fStruct
	case 7:
		f = fStruct | fInherited
	default:
		f = fText
	}
	if code&1 != 0 {
		f |= fMain
	}
	return levelS[l], f
}

// evalDoc estimates how well a doc fits the request.
func evalDoc(a *qa, d *dview, v *vocab, explain bool) fitOut {
	if d.lab {
		return evalLab(a, d, v, explain)
	}
	if a.kind == KindNeeds && !(a.noLab || (a.wantCo && !a.wantLab)) {
		// a development need open to labs: companies answer through related
		// capabilities; a need addressed to companies only is a request
		return evalCompanyNeeds(a, d, v, explain)
	}
	return evalCompany(a, d, v, explain)
}

func label(v *vocab, id int32) string { return v.concepts[id].label }

func evalCompany(a *qa, di *dview, v *vocab, explain bool) fitOut {
	var o fitOut
	pen := 0.0
	structured := false
	if len(a.core) > 0 {
		structured = true
		best, bestID, out := uint8(0), int32(-1), false
		for _, id := range a.core {
			s, f := di.has(id)
			if s > best {
				best, bestID, out = s, id, f&fOut != 0
			}
		}
		switch {
		case best >= 50:
			if explain {
				o.addMet(true, "%s", label(v, bestID))
			}
			pen += penRelatedCore * (1 - sat(best))
		case out || best > 0:
			pen += penOutsourced
			if explain {
				o.addUnmet(true, "%s は協力会社手配", label(v, a.core[0]))
			}
		default:
			// a related process: the parent (深絞り → プレス加工) or a rel link;
			// a rel link of weight w costs (1-w)·3, at most a parent's cost
			relPen, relWhy, relID, relTo := math.Inf(1), "", int32(-1), int32(-1)
			for _, id := range a.core {
				for _, p := range v.concepts[id].isa {
					if s, _ := di.has(p); s >= 50 && v.concepts[p].kind == kProc && penRelatedCore < relPen {
						relPen, relID, relTo = penRelatedCore, id, p
					}
				}
				for _, rl := range v.concepts[id].rel {
					if s, _ := di.has(rl.to); s >= 50 {
						p := math.Min(penRelatedCore, 3*(1-float64(rl.w))) + penRelatedCore*(1-sat(s))
						if p < relPen {
							relPen, relID, relTo = p, id, rl.to
						}
					}
				}
			}
			if relID < 0 {
				o.fit = 0
				if explain {
					o.addUnmet(true, "%sなし", label(v, a.core[0]))
				}
				return o
			}
			if relPen > 0.05 {
				if explain {
					relWhy = fmt.Sprintf("%sなし（関連: %s）", label(v, relID), label(v, relTo))
					o.addUnmet(true, "%s", relWhy)
				}
			} else {
				if explain {
					o.addMet(true, "%s", label(v, relTo))
				}
			}
			pen += relPen
		}
	}
	if len(a.mats) > 0 {
		structured = true
		ok, okS := int32(-1), uint8(0)
		for _, id := range a.mats {
			if s, _ := di.has(id); s >= 50 && s > okS {
				ok, okS = id, s
			}
		}
		switch {
		case ok >= 0:
			if explain {
				o.addMet(true, "材質: %s", label(v, ok))
			}
			pen += penMaterial * (1 - sat(okS))
		case di.hasMats:
			pen += penMaterial
			if explain {
				o.addUnmet(true, "材質 %s 非対応", label(v, a.mats[0]))
			}
		default:
			pen += penMaterialUnk
			if explain {
				o.addUnmet(true, "材質 %s の記載なし", label(v, a.mats[0]))
			}
		}
	}
	for _, w := range a.wishes {
		structured = true
		best, out := uint8(0), false
		for _, id := range w.alts {
			s, f := di.has(id)
			if s > best {
				best, out = s, f&fOut != 0
			}
		}
		switch {
		case best >= 50:
			if explain {
				o.addMet(true, "%s", w.label)
			}
			pen += w.w * (1 - sat(best))
		case best > 0 && out && w.outOK:
			if explain {
				o.addMet(true, "%s（協力会社手配）", w.label)
			}
		case best > 0 && out:
			pen += w.w * 0.6
			if explain {
				o.addUnmet(true, "%s は協力会社手配", w.label)
			}
		default:
			pen += w.w
			if explain {
				o.addUnmet(true, "%sの記載なし", w.label)
			}
		}
	}
	if a.lots != 0 {
		switch {
		case di.lots == 0:
			pen += penLotUnknown
		case di.lots&a.lots == 0:
			pen += penLot
			if explain {
				o.addUnmet(true, "%s非対応", lotNames(a.lots))
			}
		default:
			if explain {
				o.addMet(true, "%s対応", lotNames(di.lots&a.lots))
			}
		}
	}
	for _, id := range a.certPref {
		if s, _ := di.has(id); s >= 50 {
			if explain {
				o.addMet(true, "%s 取得", label(v, id))
			}
		} else {
			pen += penCertPreferred
			if explain {
				o.addUnmet(true, "%s 未取得（希望）", label(v, id))
			}
		}
	}
	for _, id := range a.certHard {
		if s, _ := di.has(id); s >= 50 {
			if explain {
				o.addMet(true, "%s 取得（必須）", label(v, id))
			}
		}
	}
	if len(a.cityPref) > 0 {
		switch di.cityLevel {
		case 0:
			if explain {
				o.addMet(true, "所在: %s", di.city)
			}
		case 1:
			pen += penCityNeighbour
			if explain {
				o.addUnmet(true, "所在: %s（近隣）", di.city)
			}
		default:
			pen += penCityFar
			if explain {
				o.addUnmet(true, "所在: %s", di.city)
			}
		}
	}
	if explain && len(a.cityHard) > 0 && containsStr(a.cityHard, di.city) {
		if explain {
			o.addMet(true, "所在: %s", di.city)
		}
	}
	if a.size > 0 {
		ms := di.maxSize
		switch {
		case ms > 0 && ms < a.size*0.999:
			// the further out of reach, the more it costs; large parts matter more
			p := 0.6
			if a.size >= 1000 {
				p = 1.2
			} else if a.size >= 300 {
				p = 1.0
			}
			short := 1 - ms/a.size // 0..1
			pen += p * math.Min(1, short*2.5)
			if explain {
				o.addUnmet(true, "最大 %.0fmm（%.0fmm に届かず）", ms, a.size)
			}
		case ms >= a.size:
			if a.size >= 100 {
				if explain {
					o.addMet(true, "サイズ %.0fmm 可", ms)
				}
			}
		case a.size >= 1000:
			pen += 0.5
		}
	}
	if a.hole > 0 {
		switch h := di.minHole; {
		case h > 0 && h <= a.hole*1.001:
			if explain {
				o.addMet(true, "最小穴 φ%g", h)
			}
		case h > 0:
			pen += penHoleMiss
			if explain {
				o.addUnmet(true, "最小穴 φ%g（φ%g に届かず）", h, a.hole)
			}
		default:
			pen += penHoleUnknown
			if explain {
				o.addUnmet(true, "穴径 φ%g の記載なし", a.hole)
			}
		}
	}
	if a.tol > 0 && di.tol > 0 && di.tol > a.tol*1.5 {
		// the stated precision is clearly coarser than asked
		pen += penTolerance
		if explain {
			o.addUnmet(true, "精度 ±%gmm（±%gmm に届かず）", di.tol, a.tol)
		}
	}
	if len(a.markets) > 0 {
		ok := false
		for _, id := range a.markets {
			if s, _ := di.has(id); s >= 50 {
				ok = true
				if explain {
					o.addMet(true, "%s向け実績", label(v, id))
				}
				break
			}
		}
		if !ok {
			pen += penMarket
			if explain {
				o.addUnmet(true, "%s向け実績の記載なし", label(v, a.markets[0]))
			}
		}
	}
	if !structured {
		return o
	}
	if len(a.core) == 0 {
		// only wishes / materials were read: scale down
		o.fit = math.Max(0, 2.2-pen)
		return o
	}
	o.fit = math.Max(0.1, 3-pen) * (0.7 + 0.3*a.coreW)
	return o
}

// sat is how far evidence of a given strength satisfies a requirement: a
// structured field fully, the PR text mostly, a product name a little.
func sat(s uint8) float64 {
	switch {
	case s >= 95:
		return 1
	case s >= 85:
		return 0.9
	case s >= 80:
		return 0.75
	case s >= 70:
		return 0.7
	case s >= 60:
		return 0.4
	}
	return 0
}

func isNeighbourOfAny(nb NeighbourFunc, city string, list []string) bool {
	for _, c := range list {
		if nb(city, c) {
			return true
		}
	}
	return false
}

func lotNames(b uint8) string {
	var out []string
	if b&lotProto != 0 {
		out = append(out, "試作")
	}
	if b&lotSmall != 0 {
		out = append(out, "小ロット")
	}
	if b&lotMass != 0 {
		out = append(out, "量産")
	}
	return strings.Join(out, "・")
}

// evalCompanyNeeds: a company answering a development need through a
// related capability (good partial fit at best).
func evalCompanyNeeds(a *qa, di *dview, v *vocab, explain bool) fitOut {
	var o fitOut
	best, bestID := 0.0, int32(-1)
	sum := 0.0
	for _, cw := range a.capList {
		id, w := cw.id, cw.w
		if s, _ := di.has(id); s >= 50 {
			x := w * float64(s) / 100
			sum += x
			if x > best {
				best, bestID = x, id
			}
		}
	}
	if bestID < 0 {
		return o
	}
	o.fit = math.Min(2.0, 2.4*best+0.3*math.Min(1, sum-best))
	if explain {
		o.addMet(true, "関連能力: %s", label(v, bestID))
	}
	return o
}

// evalLab: research field of the lab against the topics read: the need's
// field as the lab's main field counts 3, as a side theme 2, a related field
// less (by how related it is).
func evalLab(a *qa, d *dview, v *vocab, explain bool) fitOut {
	var o fitOut
	if len(a.topicList) == 0 {
		return o
	}
	best, sum := 0.0, 0.0
	bestWhy := int32(-1)
	bestKind := 0
	declared := func(id int32) (bool, bool) {
		s, f := d.has(id)
		return s >= 95 && f&fStruct != 0 && f&fInherited == 0, f&fMain != 0
	}
	for _, tw := range a.topicList {
		if ok, main := declared(tw.id); ok {
			base, k := 2.0, 2
			if main {
				base, k = 3, 1
			}
			x := tw.w * base
			sum += x
			if x > best {
				best, bestWhy, bestKind = x, tw.id, k
			}
		}
		for _, rl := range v.concepts[tw.id].rel {
			if ok, main := declared(rl.to); ok {
				r := float64(rl.w)
				base := 1.5 * r
				if main {
					base = 2.5 * r
				}
				x := tw.w * base
				sum += x
				if x > best {
					best, bestWhy, bestKind = x, rl.to, 3
				}
			}
		}
	}
	if best == 0 {
		return o
	}
	o.fit = best + math.Min(0.3, 0.1*(sum-best))
	if explain {
		switch bestKind {
		case 1:
			o.addMet(true, "主研究分野 %s", label(v, bestWhy))
		case 2:
			o.addMet(true, "副テーマ %s", label(v, bestWhy))
		default:
			o.addMet(true, "関連分野 %s", label(v, bestWhy))
		}
	}
	return o
}
