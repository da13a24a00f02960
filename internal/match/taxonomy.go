package match

import (
	_ "embed"
	"encoding/json"
	"sort"
)

//go:embed data/taxonomy.json
var taxonomyJSON []byte

// TaxEntry is one taxonomy value with its English name.
type TaxEntry struct {
	Label string `json:"label"`
	EN    string `json:"en,omitempty"`
}

// Taxonomy lists the fixed vocabularies of the structured fields (the
// values filters and facets use), with English names where known.
type Taxonomy struct {
	Processes      []TaxEntry `json:"processes"`
	Specialties    []TaxEntry `json:"specialties"`
	Materials      []TaxEntry `json:"materials"`
	Certifications []TaxEntry `json:"certifications"`
	Lots           []TaxEntry `json:"lots"`
	Markets        []TaxEntry `json:"markets"`
	ResearchTopics []TaxEntry `json:"research_topics"`
	Cities         []TaxEntry `json:"cities"`
	JSIC           []TaxEntry `json:"jsic"` // code → name (EN: the code)
}

type rawTaxonomy struct {
	Processes      []string          `json:"processes"`
	Materials      []string          `json:"materials"`
	Certifications []string          `json:"certifications"`
	Lots           []string          `json:"lots"`
	Markets        []string          `json:"markets"`
	Specialties    []string          `json:"specialties"`
	ResearchTopics []string          `json:"research_topics"`
	Cities         []string          `json:"cities"`
	JSICCodes      map[string]string `json:"jsic_codes"`
}

var rawTax = func() rawTaxonomy {
	var t rawTaxonomy
	if err := json.Unmarshal(taxonomyJSON, &t); err != nil {
		panic("match: taxonomy.json: " + err.Error())
	}
	return t
}()

var jsicCodes = func() []string {
	var out []string
	for c := range rawTax.JSICCodes {
		out = append(out, c)
	}
	for m := 9; m <= 32; m++ { // 中分類 of manufacturing (E)
		out = append(out, string(rune('0'+m/10))+string(rune('0'+m%10)))
	}
	sort.Strings(out)
	return out
}()

// Taxonomy returns the vocabularies.
func (e *Engine) Taxonomy() Taxonomy {
	e.mu.RLock()
	v := e.v
	e.mu.RUnlock()
	entries := func(kind string, labels []string) []TaxEntry {
		out := make([]TaxEntry, 0, len(labels))
		for _, l := range labels {
			te := TaxEntry{Label: l}
			if id, ok := v.byKey[kind+":"+l]; ok {
				te.EN = v.concepts[id].en
			}
			out = append(out, te)
		}
		return out
	}
	t := Taxonomy{
		Processes:      entries("proc", rawTax.Processes),
		Specialties:    entries("spec", rawTax.Specialties),
		Materials:      entries("mat", rawTax.Materials),
		Certifications: entries("cert", rawTax.Certifications),
		Lots:           entries("lot", rawTax.Lots),
		Markets:        entries("mkt", rawTax.Markets),
		ResearchTopics: entries("topic", rawTax.ResearchTopics),
	}
	for _, c := range rawTax.Cities {
		te := TaxEntry{Label: c}
		if ci := lookupCity(c); ci != nil {
			te.EN = ci.EN
		}
		t.Cities = append(t.Cities, te)
	}
	codes := make([]string, 0, len(rawTax.JSICCodes))
	for c := range rawTax.JSICCodes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		t.JSIC = append(t.JSIC, TaxEntry{Label: rawTax.JSICCodes[c], EN: c})
	}
	return t
}
