package match

import (
	"math"
	"sort"
)

// similarity weight of a concept kind
var similarKindWeight = map[ckind]float64{
	kProc: 1, kSpec: 1.2, kMat: 0.5, kGrade: 0.3, kMkt: 0.4, kTopic: 1.2, kEquip: 0.4, kProd: 0.4, kKw: 0.3,
}

// Similar returns up to n organizations of the same kind and municipality
// that resemble the one with database id id (shared processes, specialties,
// materials, markets, research fields; rarer ones count more), for a "similar
// companies" box on a profile page. Unknown id: nil, false.
func (e *Engine) Similar(id int64, n int) ([]Hit, bool) {
	if n <= 0 {
		n = 5
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	ord, ok := e.byID[id]
	if !ok {
		return nil, false
	}
	me := e.docs[ord]
	N := float64(e.live) + 1
	score := map[int32]float64{}
	var selfNorm float64
	for _, c := range me.cs {
		if c.f&fNeg != 0 || c.s < 50 || int(c.id) >= len(e.cpost) {
			continue
		}
		kw := similarKindWeight[e.v.concepts[c.id].kind]
		if kw == 0 {
			continue
		}
		post := e.cpost[c.id]
		idf := math.Log(1 + N/float64(len(post)+1))
		w := kw * idf * sat(c.s)
		if c.f&fMain != 0 {
			w *= 2 // the main business / main research field
		}
		selfNorm += w * w
		if len(post) > 20000 {
			continue // too common to tell docs apart
		}
		for _, p := range post {
			o := int32(p >> 4)
			if o == ord {
				continue
			}
			od := e.docs[o]
			if od.deleted || od.isLab != me.isLab || od.doc.Municipality != me.doc.Municipality {
				continue
			}
			s, f := od.has(c.id)
			x := w * kw * idf * sat(s)
			if f&fMain != 0 {
				x *= 1.5
			}
			score[o] += x
		}
	}
	type sc struct {
		o int32
		s float64
	}
	list := make([]sc, 0, len(score))
	for o, s := range score {
		list = append(list, sc{o, s / math.Sqrt(selfNorm+1e-9)})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].s != list[j].s {
			return list[i].s > list[j].s
		}
		return list[i].o < list[j].o
	})
	if len(list) > n {
		list = list[:n]
	}
	out := make([]Hit, 0, len(list))
	for _, x := range list {
		d := e.docs[x.o].doc
		h := Hit{ID: d.ID, ExternalID: d.ExternalID, Kind: d.Kind, Name: d.Name, City: d.City, Score: math.Round(x.s*1000) / 1000}
		// shared capabilities as the explanation
		for _, c := range me.cs {
			k := e.v.concepts[c.id].kind
			if (k == kProc || k == kSpec || k == kMat || k == kTopic) && c.s >= 95 && c.f&fInherited == 0 {
				if s, f := e.docs[x.o].has(c.id); s >= 95 && f&fInherited == 0 {
					h.Why.Met = append(h.Why.Met, e.v.concepts[c.id].label)
				}
			}
		}
		out = append(out, h)
	}
	return out, true
}
