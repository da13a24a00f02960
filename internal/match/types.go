package match

import (
	"fmt"
	"strings"
)

// Kinds of organization in the index.
const (
	KindCompany = "company"
	KindLab     = "lab"
)

// Doc is one published organization (a company or a university / public
// research lab) as the engine sees it. The lead maps database rows onto it;
// ReadDemoJSONL maps the demo data. Only published fields should be put here:
// everything in a Doc may be shown in an explanation.
type Doc struct {
	ID           int64  `json:"id"`           // database id, unique in one Engine
	ExternalID   string `json:"external_id"`  // e.g. C0001, L001: the id written in runs
	Municipality string `json:"municipality"` // tenant: 全国地方公共団体コード, 6 digits ("132128")
	Kind         string `json:"kind"`         // KindCompany or KindLab
	Name         string `json:"name"`         // display name
	NameKana     string `json:"name_kana"`    // reading (katakana), without the legal form
	City         string `json:"city"`         // location city name, e.g. 日野市
	CityCode     string `json:"city_code"`    // 全国地方公共団体コード of City, if known
	JSICCode     string `json:"jsic_code"`    // 日本標準産業分類, 2–4 digits
	Employees    int    `json:"employees"`    // 0 = unknown
	CapitalYen   int64  `json:"capital_yen"`  // 0 = unknown
	FoundedYear  int    `json:"founded_year"` // 0 = unknown

	// Capabilities. Values are normally taxonomy entries (see Taxonomy), but
	// any text is accepted and analysed.
	Processes        []string `json:"processes"`   // first = main business
	Specialties      []string `json:"specialties"` // finer technologies (硬質アルマイト, SMT実装 …)
	Materials        []string `json:"materials"`   // material families
	Certifications   []string `json:"certifications"`
	Lot              []string `json:"lot"` // 試作 / 小ロット / 量産
	Markets          []string `json:"markets"`
	MaxWorkpieceSize string   `json:"max_workpiece_size"` // e.g. 620×310×248mm
	Equipment        []string `json:"equipment"`
	Products         []string `json:"products"`

	CatchPhrase string `json:"catch_phrase"`
	PRText      string `json:"pr_text"`
	Strengths   string `json:"strengths"` // 専門家による強みの分析

	// Labs.
	University     string   `json:"university"`
	Department     string   `json:"department"`      // faculty and department
	ResearchTopics []string `json:"research_topics"` // first = main field
	Keywords       []string `json:"keywords"`
	SeedsText      string   `json:"seeds_text"`
	Collaboration  []string `json:"collaboration"`
}

// QueryKind says what the query is for.
type QueryKind string

const (
	// KindSearch is free-text directory search: companies and labs ranked by
	// text and capability relevance, facets for the directory page.
	KindSearch QueryKind = "search"
	// KindRFQ is a buyer request (引合い): suppliers ranked by fit, hard
	// constraints read from the text applied.
	KindRFQ QueryKind = "rfq"
	// KindNeeds is a development need (ニーズ・シーズ): labs first by research
	// field, then companies with related capabilities.
	KindNeeds QueryKind = "needs"
	// KindPartner looks for partner companies (共同受注, 分業).
	KindPartner QueryKind = "partner"
)

// Filters are explicit structured constraints (from a search form or the
// query file). Values inside one field are alternatives (any-of), fields are
// combined with AND. Values are resolved through the thesaurus, so
// "陽極酸化" selects アルマイト; a value that resolves to nothing known gives a
// *FilterError.
type Filters struct {
	Processes      []string `json:"processes,omitempty"`
	Materials      []string `json:"materials,omitempty"`
	Certifications []string `json:"certifications,omitempty"`
	Cities         []string `json:"cities,omitempty"` // city names (日野市, 日野) or 6-digit codes
	JSIC           []string `json:"jsic,omitempty"`   // 2–4 digit prefixes
	Lot            []string `json:"lot,omitempty"`
	Markets        []string `json:"markets,omitempty"`
	Kind           string   `json:"kind,omitempty"` // "company", "lab" or ""
	MinEmployees   int      `json:"min_employees,omitempty"`
	MaxEmployees   int      `json:"max_employees,omitempty"` // 0 = no limit
}

// IsZero reports whether no filter is set.
func (f Filters) IsZero() bool {
	return len(f.Processes) == 0 && len(f.Materials) == 0 && len(f.Certifications) == 0 &&
		len(f.Cities) == 0 && len(f.JSIC) == 0 && len(f.Lot) == 0 && len(f.Markets) == 0 &&
		f.Kind == "" && f.MinEmployees == 0 && f.MaxEmployees == 0
}

// Query is one request to the engine.
type Query struct {
	// Municipality is the tenant whose registry is searched ("" = all) and
	// whose extra synonyms apply. 「市内」 in the text means this municipality.
	Municipality string    `json:"municipality,omitempty"`
	Kind         QueryKind `json:"kind,omitempty"` // "" = search
	Text         string    `json:"text"`
	Filters      Filters   `json:"filters"`
	Limit        int       `json:"limit,omitempty"`  // 0 = 20; at most 1000
	Offset       int       `json:"offset,omitempty"` // for paging
	// Lang is "ja", "en" or "" (detected). It only affects messages and the
	// choice of analysis; both languages are always understood.
	Lang string `json:"lang,omitempty"`
	// NoTextConstraints disables reading hard constraints (必須, 市内, 限ります …)
	// from the text; explicit Filters still apply. For a plain directory
	// search box.
	NoTextConstraints bool `json:"no_text_constraints,omitempty"`
	// NoFacets skips facet counting.
	NoFacets bool `json:"no_facets,omitempty"`
	// NoHighlight leaves Hit.Why.Matched empty (batch runs).
	NoHighlight bool `json:"no_highlight,omitempty"`
}

// Result of a Search.
type Result struct {
	Total      int                     `json:"total"` // hits that passed the filters and matched
	Hits       []Hit                   `json:"hits"`
	Facets     map[string][]FacetCount `json:"facets,omitempty"` // process, material, certification, city, lot, kind, market, jsic
	Understood Understanding           `json:"understood"`
}

// FacetCount is one facet value and the number of matching docs having it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Hit is one ranked organization with its explanation.
type Hit struct {
	ID         int64       `json:"id"`
	ExternalID string      `json:"external_id"`
	Kind       string      `json:"kind"`
	Name       string      `json:"name"`
	City       string      `json:"city"`
	Score      float64     `json:"score"`
	Fit        float64     `json:"fit"` // estimated fit on the 0–3 scale (3 = fully meets)
	Why        Explanation `json:"why"`
}

// Explanation tells why a hit is where it is.
type Explanation struct {
	// Matched lists, per field, the surface terms that matched with their
	// byte offsets in the field's text, for highlighting.
	Matched []FieldMatch `json:"matched,omitempty"`
	// Met are the requirements and constraints satisfied
	// (「めっき」「材質: ステンレス」「ISO9001 取得」「所在: 日野市」).
	Met []string `json:"met,omitempty"`
	// Unmet are wishes not met (「量産非対応」「白アルマイトの記載なし」).
	Unmet []string `json:"unmet,omitempty"`
}

// FieldMatch is a matched field. For list fields Item is the index of the
// element and spans are offsets inside that element; for text fields Item is -1.
type FieldMatch struct {
	Field string `json:"field"` // name, processes, specialties, materials, equipment, products, markets, pr_text, strengths, catch_phrase, seeds_text, keywords, research_topics, certifications, lot
	Item  int    `json:"item"`
	Spans []Span `json:"spans"`
}

// Span is a byte range [Start, End) in the original field text, with the
// surface text and the concept or term it matched.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Term  string `json:"term"` // canonical concept (アルマイト) or query term
}

// FilterError is returned when a filter names a value the engine does not
// know (not in the taxonomy, the thesaurus or the index). An API should
// answer 400 with Error() (English) or MessageJA().
type FilterError struct {
	Filter string // e.g. "processes"
	Value  string
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("match: unknown %s filter value %q", e.Filter, e.Value)
}

// MessageJA is the Japanese message for the same error.
func (e *FilterError) MessageJA() string {
	return fmt.Sprintf("絞り込み条件「%s」の値「%s」は分類にありません", filterNameJA(e.Filter), e.Value)
}

func filterNameJA(f string) string {
	switch f {
	case "processes":
		return "加工・工程"
	case "materials":
		return "材質"
	case "certifications":
		return "認証"
	case "cities":
		return "所在地"
	case "jsic":
		return "産業分類"
	case "lot":
		return "ロット"
	case "markets":
		return "主要市場"
	case "kind":
		return "種別"
	case "employees":
		return "従業員数"
	}
	return f
}

// SynonymEntry is one line of a municipality's extra thesaurus. Canonical
// names an existing concept (any of its spellings, e.g. "アルマイト",
// "陽極酸化" or "ISO9001") or a new term; Variants are spellings that should
// mean the same. Kind is optional ("process", "material", "specialty",
// "certification", "market", "topic", "term"); it is used only when
// Canonical is new.
type SynonymEntry struct {
	Canonical string   `json:"canonical"`
	Variants  []string `json:"variants"`
	Kind      string   `json:"kind,omitempty"`
}

func (s SynonymEntry) String() string {
	return s.Canonical + "=" + strings.Join(s.Variants, "|")
}
