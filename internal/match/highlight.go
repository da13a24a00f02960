package match

import (
	"strings"
)

// highlight finds, in the doc's fields, the spans that match what the query
// asked for (concepts, including finer ones, and the query's content words).
func (an *docAnalyzer) highlight(a *qa, di *docInfo) []FieldMatch {
	d := di.doc
	want := map[int32]bool{}
	for _, id := range a.core {
		want[id] = true
	}
	for _, w := range a.wishes {
		for _, id := range w.alts {
			want[id] = true
		}
	}
	for _, ids := range [][]int32{a.mats, a.certHard, a.certPref, a.markets} {
		for _, id := range ids {
			want[id] = true
		}
	}
	for id := range a.topics {
		want[id] = true
	}
	for id := range a.caps {
		want[id] = true
	}
	wanted := func(id int32) (int32, bool) {
		if want[id] {
			return id, true
		}
		for _, p := range an.v.concepts[id].anc {
			if want[p] {
				return p, true
			}
		}
		return 0, false
	}
	var words []string
	for _, t := range a.u.Terms {
		if len([]rune(t)) >= 2 {
			words = append(words, t)
		}
	}
	// concept spans recorded when the doc was indexed
	type key struct {
		field uint8
		item  uint8
	}
	byField := map[key][]Span{}
	var order []key
	fieldText := func(f uint8, item int) string {
		list := func(l []string) string {
			if item < len(l) {
				return l[item]
			}
			return ""
		}
		switch f {
		case hfName:
			return d.Name
		case hfProcesses:
			return list(d.Processes)
		case hfSpecialties:
			return list(d.Specialties)
		case hfMaterials:
			return list(d.Materials)
		case hfCertifications:
			return list(d.Certifications)
		case hfMarkets:
			return list(d.Markets)
		case hfTopics:
			return list(d.ResearchTopics)
		case hfEquipment:
			return list(d.Equipment)
		case hfProducts:
			return list(d.Products)
		case hfKeywords:
			return list(d.Keywords)
		case hfPR:
			return d.PRText
		case hfStrengths:
			return d.Strengths
		case hfCatch:
			return d.CatchPhrase
		case hfSeeds:
			return d.SeedsText
		case hfUniversity:
			return d.University
		case hfDepartment:
			return d.Department
		}
		return ""
	}
	for _, sp := range di.spans {
		id, ok := wanted(int32(sp.c))
		if !ok {
			continue
		}
		txt := fieldText(sp.field, int(sp.item))
		if int(sp.end) > len(txt) || sp.start >= sp.end {
			continue
		}
		k := key{sp.field, sp.item}
		if _, seen := byField[k]; !seen {
			order = append(order, k)
		}
		byField[k] = append(byField[k], Span{Start: int(sp.start), End: int(sp.end), Text: txt[sp.start:sp.end], Term: an.v.concepts[id].label})
	}
	var out []FieldMatch
	for _, k := range order {
		spans := byField[k]
		sortSpans(spans)
		// overlapping spans (a concept and its broader one): keep the first
		kept := spans[:0]
		last := -1
		for _, sp := range spans {
			if sp.Start >= last {
				kept = append(kept, sp)
				last = sp.End
			}
		}
		item := int(k.item)
		if k.field == hfName || k.field >= hfPR {
			item = -1
		}
		out = append(out, FieldMatch{Field: hlFieldNames[k.field], Item: item, Spans: kept})
	}
	// the query's other words in the short fields
	if len(words) == 0 {
		return out
	}
	one := func(field string, item int, s string) {
		if s == "" {
			return
		}
		t := normalize(s)
		var spans []Span
		covered := make([]bool, len(t.r)+1)
		add := func(m mention, term string) {
			for p := m.start; p < m.end; p++ {
				if covered[p] {
					return
				}
			}
			for p := m.start; p < m.end; p++ {
				covered[p] = true
			}
			st, en := t.span(m.start, m.end)
			spans = append(spans, Span{Start: st, End: en, Text: s[st:en], Term: term})
		}
		ts := string(t.r)
		for _, w := range words {
			off := 0
			for {
				k := strings.Index(ts[off:], w)
				if k < 0 {
					break
				}
				bpos := off + k
				st := len([]rune(ts[:bpos]))
				add(mention{start: st, end: st + len([]rune(w))}, w)
				off = bpos + len(w)
			}
		}
		if len(spans) > 0 {
			sortSpans(spans)
			for i := range out {
				if out[i].Field == field && out[i].Item == item {
					merged := append(out[i].Spans, spans...)
					sortSpans(merged)
					kept := merged[:0]
					last := -1
					for _, sp := range merged {
						if sp.Start >= last {
							kept = append(kept, sp)
							last = sp.End
						}
					}
					out[i].Spans = kept
					return
				}
			}
			out = append(out, FieldMatch{Field: field, Item: item, Spans: spans})
		}
	}
	list := func(field string, vals []string) {
		for i, v := range vals {
			one(field, i, v)
		}
	}
	one("name", -1, d.Name)
	list("processes", d.Processes)
	list("specialties", d.Specialties)
	list("materials", d.Materials)
	list("certifications", d.Certifications)
	list("lot", d.Lot)
	list("markets", d.Markets)
	list("equipment", d.Equipment)
	list("products", d.Products)
	list("research_topics", d.ResearchTopics)
	list("keywords", d.Keywords)
	one("catch_phrase", -1, d.CatchPhrase)
	return out
}

func sortSpans(s []Span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start < s[j-1].Start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
