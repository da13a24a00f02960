package match

import (
	"strings"
)

// highlight finds, in the doc's fields, the spans that match what the query
// asked for (concepts, including finer ones, and the query's content words).
func (an *docAnalyzer) highlight(a *qa, d *Doc) []FieldMatch {
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
	var out []FieldMatch
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
		scanTries(&t, an.tries, func(m mention) {
			if id, ok := wanted(m.c); ok {
				add(m, an.v.concepts[id].label)
			}
		})
		scanRegex(t.r, an.v.res, func(m mention) {
			if id, ok := wanted(m.c); ok {
				add(m, an.v.concepts[id].label)
			}
		})
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
	one("pr_text", -1, d.PRText)
	one("strengths", -1, d.Strengths)
	one("seeds_text", -1, d.SeedsText)
	return out
}

func sortSpans(s []Span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start < s[j-1].Start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
