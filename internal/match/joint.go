package match

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Group is a proposed joint-order group (共同受注): companies that together
// cover every process the request needs.
type Group struct {
	Members []GroupMember `json:"members"`
	// Leader is the database id of the suggested leader company (the one
	// covering most steps, then the main step, then the largest).
	Leader int64 `json:"leader"`
	// Coverage lists, per required step (in the request's order), the
	// members that can do it.
	Coverage []StepCoverage `json:"coverage"`
	// Distance: 0 = all in one city, 1 = neighbouring cities, 2 = farther.
	Distance int     `json:"distance"`
	Score    float64 `json:"score"`
	Why      string  `json:"why"`    // Japanese summary
	WhyEN    string  `json:"why_en"` // English summary
}

// GroupMember is one company of a group.
type GroupMember struct {
	ID         int64    `json:"id"`
	ExternalID string   `json:"external_id"`
	Name       string   `json:"name"`
	City       string   `json:"city"`
	Covers     []string `json:"covers"` // steps this member does
	Leader     bool     `json:"leader"`
	Fit        float64  `json:"fit"`
}

// StepCoverage is one required step and who covers it.
type StepCoverage struct {
	Step    string  `json:"step"`
	Members []int64 `json:"members"`
}

type step struct {
	label string
	alts  []int32
}

const (
	jointPerStep = 12
	jointMax     = 3 // groups returned
)

// JointGroups proposes up to three groups of companies that together cover
// every process the request needs (read from the text, e.g.
// 「切削 → めっき → 組立」, plus Filters.Processes): fewest members first,
// then nearest (same city, then neighbouring cities), then best fit. Hard
// constraints (filters, 必須 certifications, cities) apply to every member.
// Steps nobody covers are reported in an error-free way: the groups cover
// the others and Why says what is missing.
func (e *Engine) JointGroups(ctx context.Context, q Query) ([]Group, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	rf, err := e.resolveFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	if q.Kind == "" || q.Kind == KindSearch {
		q.Kind = KindPartner
	}
	a := e.analyzer(q.Municipality).understand(q, CityName(q.Municipality))
	v := e.v
	// the steps: main process, then the other processes asked for, then filters
	var steps []step
	seen := map[int32]bool{}
	addStep := func(alts []int32) {
		var keep []int32
		for _, id := range alts {
			if !seen[id] && v.concepts[id].kind == kProc && !v.concepts[id].weak {
				keep = append(keep, id)
			}
		}
		if len(keep) == 0 {
			return
		}
		for _, id := range keep {
			seen[id] = true
		}
		lbl := make([]string, len(keep))
		for i, id := range keep {
			lbl[i] = v.concepts[id].label
		}
		steps = append(steps, step{label: strings.Join(lbl, "・"), alts: keep})
	}
	addStep(a.core)
	for _, w := range a.wishes {
		var alts []int32
		for _, id := range w.alts {
			c := v.concepts[id]
			if c.kind == kProc {
				alts = append(alts, id)
			} else if c.kind == kSpec && !c.prodlike {
				for _, p := range c.isa {
					if v.concepts[p].kind == kProc && !seen[p] {
						alts = append(alts, p)
					}
				}
			}
		}
		addStep(alts)
	}
	for _, id := range rf.procs {
		addStep([]int32{id})
	}
	if len(steps) == 0 {
		return []Group{}, nil
	}
	if len(steps) > 8 {
		steps = steps[:8]
	}
	full := uint32(1)<<len(steps) - 1
	// candidates per step
	type cand = jcand
	pool := map[int32]*cand{}
	short := map[int32]bool{} // short-listed for some step
	hf := e.hotFilter(a, q, rf)
	if hf.none {
		return []Group{}, nil
	}
	var missing []string
	for si, st := range steps {
		var cs []*cand
		seenOrd := map[int32]bool{}
		for _, id := range st.alts {
			if int(id) >= len(e.cpost) {
				continue
			}
			for _, p := range e.cpost[id] {
				o := int32(p >> 4)
				if seenOrd[o] {
					continue
				}
				seenOrd[o] = true
				di := e.docs[o]
				dv := viewOf(a, di, e.opt.Neighbours)
				if di.deleted || di.isLab || !hf.pass(e.hot[o]) || !e.passes(&dv, a, q, rf) {
					continue
				}
				c := pool[o]
				if c == nil {
					c = &cand{ord: o}
					for sj, st2 := range steps {
						for _, id2 := range st2.alts {
							if s, f := di.has(id2); s >= 70 && f&fOut == 0 {
								c.mask |= 1 << sj
								break
							}
						}
					}
					if c.mask == 0 {
						continue
					}
					c.fit = evalDoc(a, &dv, v, false).fit
					pool[o] = c
				}
				if c.mask&(1<<si) != 0 {
					cs = append(cs, c)
				}
			}
		}
		if len(cs) == 0 {
			missing = append(missing, st.label)
			full &^= 1 << si
			continue
		}
		sort.Slice(cs, func(i, j int) bool {
			bi, bj := popcount(cs[i].mask), popcount(cs[j].mask)
			if bi != bj {
				return bi > bj
			}
			if cs[i].fit != cs[j].fit {
				return cs[i].fit > cs[j].fit
			}
			return cs[i].ord < cs[j].ord
		})
		if len(cs) > jointPerStep {
			cs = cs[:jointPerStep]
		}
		for _, c := range cs {
			short[c.ord] = true
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if full == 0 {
		return []Group{}, nil
	}
	var cands []*cand
	for o, c := range pool {
		if short[o] && c.mask&full != 0 {
			cands = append(cands, c)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].fit != cands[j].fit {
			return cands[i].fit > cands[j].fit
		}
		return cands[i].ord < cands[j].ord
	})
	if len(cands) > 60 {
		cands = cands[:60]
	}
	type combo struct {
		m    []*cand
		dist int
		q    float64
	}
	var combos []combo
	dist := func(ms []*cand) int {
		d := 0
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				ci, cj := e.docs[ms[i].ord].city, e.docs[ms[j].ord].city
				switch {
				case ci == cj:
				case e.opt.Neighbours(ci, cj):
					d = maxInt(d, 1)
				default:
					d = 2
				}
			}
		}
		return d
	}
	quality := func(ms []*cand) float64 {
		q := 0.0
		for _, c := range ms {
			q += c.fit
		}
		return q / float64(len(ms))
	}
	add := func(ms ...*cand) {
		cp := append([]*cand(nil), ms...)
		combos = append(combos, combo{m: cp, dist: dist(cp), q: quality(cp)})
	}
	for size := 1; size <= minInt(len(steps), 4) && len(combos) < 3; size++ {
		switch size {
		case 1:
			for _, c := range cands {
				if c.mask&full == full {
					add(c)
				}
			}
		case 2:
			for i := range cands {
				for j := i + 1; j < len(cands); j++ {
					if (cands[i].mask|cands[j].mask)&full == full && !subsumes(cands[i].mask, cands[j].mask, full) {
						add(cands[i], cands[j])
					}
				}
			}
		case 3:
			for i := range cands {
				for j := i + 1; j < len(cands); j++ {
					mij := cands[i].mask | cands[j].mask
					if mij&full == full {
						continue
					}
					for k := j + 1; k < len(cands); k++ {
						if (mij|cands[k].mask)&full == full && minimal([]uint32{cands[i].mask, cands[j].mask, cands[k].mask}, full) {
							add(cands[i], cands[j], cands[k])
						}
					}
				}
			}
		case 4:
			n := minInt(len(cands), 25)
			for i := 0; i < n; i++ {
				for j := i + 1; j < n; j++ {
					for k := j + 1; k < n; k++ {
						for l := k + 1; l < n; l++ {
							ms := []uint32{cands[i].mask, cands[j].mask, cands[k].mask, cands[l].mask}
							if (ms[0]|ms[1]|ms[2]|ms[3])&full == full && minimal(ms, full) {
								add(cands[i], cands[j], cands[k], cands[l])
							}
						}
					}
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(combos, func(i, j int) bool {
		a, b := combos[i], combos[j]
		if len(a.m) != len(b.m) {
			return len(a.m) < len(b.m)
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.q != b.q {
			return a.q > b.q
		}
		return a.m[0].ord < b.m[0].ord
	})
	var out []Group
	used := map[int32]int{}
	for _, cb := range combos {
		if len(out) == jointMax {
			break
		}
		// variety: a company leads / joins at most two proposals
		over := false
		for _, c := range cb.m {
			if used[c.ord] >= 2 {
				over = true
			}
		}
		if over && len(combos) > jointMax*2 {
			continue
		}
		for _, c := range cb.m {
			used[c.ord]++
		}
		out = append(out, e.buildGroup(cb.m, steps, full, cb.dist, cb.q, missing))
	}
	if out == nil {
		out = []Group{}
	}
	return out, nil
}

func popcount(x uint32) int {
	n := 0
	for x != 0 {
		x &= x - 1
		n++
	}
	return n
}

// subsumes: one of two masks alone already covers full (the pair is not minimal).
func subsumes(a, b, full uint32) bool { return a&full == full || b&full == full }

// minimal: no member can be dropped.
func minimal(ms []uint32, full uint32) bool {
	for i := range ms {
		var u uint32
		for j, m := range ms {
			if j != i {
				u |= m
			}
		}
		if u&full == full {
			return false
		}
	}
	return true
}

// jcand is a company considered for joint-order groups.
type jcand struct {
	ord  int32
	mask uint32 // steps it covers
	fit  float64
}

func (e *Engine) buildGroup(list []*jcand, steps []step, full uint32, dist int, q float64, missing []string) Group {
	g := Group{Distance: dist, Score: math.Round(q*1000) / 1000}
	// leader: most steps, then the main step, then employees, then fit
	best := -1
	for i, c := range list {
		if best < 0 {
			best = i
			continue
		}
		b := list[best]
		ci, bi := popcount(c.mask&full), popcount(b.mask&full)
		switch {
		case ci != bi:
			if ci > bi {
				best = i
			}
		case (c.mask&1 != 0) != (b.mask&1 != 0):
			if c.mask&1 != 0 {
				best = i
			}
		case e.docs[c.ord].doc.Employees != e.docs[b.ord].doc.Employees:
			if e.docs[c.ord].doc.Employees > e.docs[b.ord].doc.Employees {
				best = i
			}
		case c.fit > b.fit:
			best = i
		}
	}
	for i, c := range list {
		d := e.docs[c.ord].doc
		m := GroupMember{ID: d.ID, ExternalID: d.ExternalID, Name: d.Name, City: d.City, Leader: i == best, Fit: math.Round(c.fit*100) / 100}
		for si, st := range steps {
			if c.mask&(1<<si) != 0 && full&(1<<si) != 0 {
				m.Covers = append(m.Covers, st.label)
			}
		}
		if i == best {
			g.Leader = d.ID
		}
		g.Members = append(g.Members, m)
	}
	// leader first
	sort.SliceStable(g.Members, func(i, j int) bool { return g.Members[i].Leader && !g.Members[j].Leader })
	var ja, en []string
	for si, st := range steps {
		if full&(1<<si) == 0 {
			continue
		}
		sc := StepCoverage{Step: st.label}
		var names []string
		for _, c := range list {
			if c.mask&(1<<si) != 0 {
				d := e.docs[c.ord].doc
				sc.Members = append(sc.Members, d.ID)
				names = append(names, d.Name)
			}
		}
		g.Coverage = append(g.Coverage, sc)
		ja = append(ja, st.label+": "+strings.Join(names, "・"))
		en = append(en, st.label+": "+strings.Join(names, ", "))
	}
	where := [...]string{"同一市内", "近隣市", "広域"}[dist]
	whereEN := [...]string{"one city", "neighbouring cities", "wider area"}[dist]
	g.Why = fmt.Sprintf("%d社で全工程をカバー（%s）。%s", len(list), where, strings.Join(ja, " ／ "))
	g.WhyEN = fmt.Sprintf("%d companies cover every step (%s). %s", len(list), whereEN, strings.Join(en, " / "))
	if len(missing) > 0 {
		g.Why += "。対応先が見つからない工程: " + strings.Join(missing, "・")
		g.WhyEN += ". No company found for: " + strings.Join(missing, ", ")
	}
	return g
}
