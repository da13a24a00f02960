package match

import (
	"fmt"
	"sort"
	"strings"
)

// describe fills the public Understanding and its notes.
func (a *qa) describe(v *vocab, q Query) {
	u := &a.u
	u.Lang = a.lang
	u.Kind = a.kind
	switch {
	case a.noLab || (a.wantCo && !a.wantLab):
		u.Want = KindCompany
	case a.noCo || (a.wantLab && !a.wantCo):
		u.Want = KindLab
	}
	term := func(id int32, level string, w float64) Term {
		c := v.concepts[id]
		t := Term{Label: c.label, Kind: kindPublic[c.kind], Level: level, Weight: w}
		for _, m := range a.ms {
			if m.c == id || containsID(v.concepts[m.c].anc, id) {
				if m.end > m.start && m.end <= len(a.t.r) {
					t.Start, t.End = a.t.span(m.start, m.end)
					t.Surface = q.Text[t.Start:t.End]
				}
				break
			}
		}
		return t
	}
	for _, id := range a.core {
		u.Processes = append(u.Processes, term(id, "main", a.coreW))
	}
	for _, w := range a.wishes {
		for _, id := range w.alts {
			u.Processes = append(u.Processes, term(id, "wish", w.w))
		}
	}
	for _, id := range a.mats {
		u.Materials = append(u.Materials, term(id, "required", 0))
	}
	type tw struct {
		id int32
		w  float64
	}
	var ts []tw
	for id, w := range a.topics {
		ts = append(ts, tw{id, w})
	}
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].w != ts[j].w {
			return ts[i].w > ts[j].w
		}
		return ts[i].id < ts[j].id
	})
	if len(ts) > 5 {
		ts = ts[:5]
	}
	for _, t := range ts {
		u.Topics = append(u.Topics, term(t.id, "", t.w))
	}
	for _, id := range a.markets {
		u.Markets = append(u.Markets, term(id, "wish", 0))
	}
	for _, id := range a.certHard {
		u.Certifications = append(u.Certifications, term(id, "required", 0))
	}
	for _, id := range a.certPref {
		u.Certifications = append(u.Certifications, term(id, "preferred", 0))
	}
	for _, c := range a.cityHard {
		u.Cities = append(u.Cities, Term{Label: c, Kind: "city", Level: "required"})
	}
	for _, c := range a.cityExcl {
		u.Cities = append(u.Cities, Term{Label: c, Kind: "city", Level: "excluded"})
	}
	for _, c := range a.cityPref {
		u.Cities = append(u.Cities, Term{Label: c, Kind: "city", Level: "preferred"})
	}
	if a.lots != 0 {
		u.Lot = strings.Split(lotNames(a.lots), "・")
	}
	u.SizeMM, u.HoleMM, u.TolMM = a.size, a.hole, a.tol
	seen := map[string]bool{}
	for _, m := range a.ms {
		c := v.concepts[m.c]
		if m.inf || c.kind == kMod || c.kind == kKw {
			continue
		}
		lvl := ""
		switch m.role {
		case roleExcluded:
			lvl = "excluded"
		case roleSelf:
			if c.kind != kProc && c.kind != kSpec {
				continue
			}
			lvl = "context"
		default:
			continue
		}
		if seen[lvl+c.key] {
			continue
		}
		seen[lvl+c.key] = true
		st, en := a.t.span(m.start, m.end)
		t := Term{Label: c.label, Kind: kindPublic[c.kind], Level: lvl, Start: st, End: en, Surface: q.Text[st:en]}
		if lvl == "excluded" {
			u.Excluded = append(u.Excluded, t)
		} else {
			u.Context = append(u.Context, t)
		}
	}
	// notes
	note := func(ja, en string) {
		u.Notes = append(u.Notes, ja)
		u.NotesEN = append(u.NotesEN, en)
	}
	labels := func(ts []Term) (string, string) {
		var ja, en []string
		for _, t := range ts {
			ja = append(ja, t.Label)
			if c, ok := v.byKey[strings.TrimSuffix(kindKey(t.Kind), ":")+":"+t.Label]; ok && v.concepts[c].en != "" {
				en = append(en, v.concepts[c].en)
			} else {
				en = append(en, t.Label)
			}
		}
		return strings.Join(ja, "・"), strings.Join(en, ", ")
	}
	if len(a.core) > 0 {
		var main []Term
		for _, t := range u.Processes {
			if t.Level == "main" {
				main = append(main, t)
			}
		}
		ja, en := labels(main)
		note("主な工程を「"+ja+"」と解釈しました", "Main process read as: "+en)
	}
	if len(a.wishes) > 0 {
		var ws []string
		for _, w := range a.wishes {
			ws = append(ws, w.label)
		}
		note("希望: "+strings.Join(ws, "、"), "Also wanted: "+strings.Join(ws, ", "))
	}
	if len(u.Materials) > 0 {
		ja, en := labels(u.Materials)
		note("材質: "+ja, "Material: "+en)
	}
	for _, t := range u.Certifications {
		if t.Level == "required" {
			note(t.Label+"必須として解釈しました（未取得の企業は除外）", t.Label+" read as required (others excluded)")
		} else {
			note(t.Label+"は希望条件として扱いました", t.Label+" read as preferred")
		}
	}
	if len(a.cityHard) > 0 {
		note("所在地を"+strings.Join(a.cityHard, "・")+"に限定しました", "Location limited to "+strings.Join(a.cityHard, ", "))
	}
	if len(a.cityExcl) > 0 {
		note(strings.Join(a.cityExcl, "・")+"を除外しました", "Excluded: "+strings.Join(a.cityExcl, ", "))
	}
	if len(a.cityPref) > 0 {
		s := strings.Join(a.cityPref, "・") + "を優先"
		if a.nearOK {
			s += "（近隣も可）"
		}
		note(s+"としました", "Preferred location: "+strings.Join(a.cityPref, ", "))
	}
	if a.lots != 0 {
		qs := ""
		if u.Quantity > 0 {
			qs = fmt.Sprintf("数量 %g", u.Quantity)
			if u.PerMonth {
				qs = "月 " + qs[len("数量 "):]
			}
			qs += " → "
		}
		note(qs+lotNames(a.lots)+"に対応できる先を優先", "Lot: "+lotNames(a.lots))
	}
	if a.size > 0 {
		note(fmt.Sprintf("ワーク寸法 約%.0fmm", a.size), fmt.Sprintf("Part size about %.0f mm", a.size))
	}
	if a.hole > 0 {
		note(fmt.Sprintf("穴径 φ%gmm", a.hole), fmt.Sprintf("Hole diameter %g mm", a.hole))
	}
	if a.tol > 0 {
		note(fmt.Sprintf("精度 ±%gmm", a.tol), fmt.Sprintf("Tolerance ±%g mm", a.tol))
	}
	switch u.Want {
	case KindLab:
		note("大学・研究室を優先しました", "University labs first")
	case KindCompany:
		if a.noLab {
			note("大学・研究室を除外しました", "Labs excluded")
		} else if a.kind == KindNeeds || a.kind == KindSearch {
			note("企業を優先しました", "Companies first")
		}
	}
	if len(u.Excluded) > 0 {
		ja, en := labels(u.Excluded)
		note("除外: "+ja, "Ruled out: "+en)
	}
	if len(u.Context) > 0 {
		ja, en := labels(u.Context)
		note("依頼者側の工程として条件から外しました: "+ja, "Read as the sender's own steps, not required: "+en)
	}
	if len(u.Topics) > 0 && (a.kind == KindNeeds || u.Want == KindLab) {
		ja, en := labels(u.Topics[:minInt(2, len(u.Topics))])
		note("研究分野: "+ja, "Research field: "+en)
	}
}

func kindKey(public string) string {
	for k, p := range kindPublic {
		if p == public {
			switch k {
			case kGrade, kKw, kMod:
				continue
			}
			return k.prefix()
		}
	}
	return "term"
}
