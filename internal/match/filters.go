package match

import (
	"sort"
	"strings"
)

type resolvedFilters struct {
	any            bool // a filter match() checks
	explicit       bool // any explicit filter at all
	procs          []int32
	rawProcs       []string
	mats           []int32
	rawMats        []string
	certs          []int32
	cities         []string // checked on docHot (hotFilter)
	jsic           []string
	lots           uint8 // checked on docHot (hotFilter)
	mkts           []int32
	kind           string
	minEmp, maxEmp int
}

// resolveFilters maps filter values onto concepts; unknown values give a
// *FilterError naming the filter and the value.
func (e *Engine) resolveFilters(f Filters) (*resolvedFilters, error) {
	rf := &resolvedFilters{}
	v := e.v
	for _, x := range f.Processes {
		ids := v.lookupKind(x, kProc, kSpec)
		for _, id := range v.lookupKind(x, kEquip) {
			ids = append(ids, v.concepts[id].isa...)
		}
		if len(ids) == 0 {
			if e.rawValueKnown(x, func(d *Doc) []string { return append(append([]string{}, d.Processes...), d.Specialties...) }) {
				rf.rawProcs = append(rf.rawProcs, normString(x))
				continue
			}
			return nil, &FilterError{Filter: "processes", Value: x}
		}
		rf.procs = append(rf.procs, ids...)
	}
	for _, x := range f.Materials {
		ids := v.lookupKind(x, kMat)
		for _, id := range v.lookupKind(x, kGrade) {
			for _, p := range v.concepts[id].anc {
				if v.concepts[p].kind == kMat {
					ids = append(ids, p)
				}
			}
		}
		if len(ids) == 0 {
			if e.rawValueKnown(x, func(d *Doc) []string { return d.Materials }) {
				rf.rawMats = append(rf.rawMats, normString(x))
				continue
			}
			return nil, &FilterError{Filter: "materials", Value: x}
		}
		rf.mats = append(rf.mats, ids...)
	}
	for _, x := range f.Certifications {
		ids := v.lookupKind(x, kCert)
		if len(ids) == 0 {
			return nil, &FilterError{Filter: "certifications", Value: x}
		}
		rf.certs = append(rf.certs, ids...)
	}
	for _, x := range f.Cities {
		name := CityName(x)
		if name == "" {
			if e.rawValueKnown(x, func(d *Doc) []string { return []string{d.City, d.CityCode} }) {
				name = strings.TrimSpace(x)
			} else {
				return nil, &FilterError{Filter: "cities", Value: x}
			}
		}
		rf.cities = append(rf.cities, name)
	}
	for _, x := range f.JSIC {
		x = strings.TrimSpace(x)
		if len(x) < 2 || len(x) > 4 || strings.Trim(x, "0123456789") != "" {
			return nil, &FilterError{Filter: "jsic", Value: x}
		}
		known := false
		for _, j := range jsicCodes {
			if strings.HasPrefix(j, x) {
				known = true
				break
			}
		}
		if !known && !e.rawValueKnown(x, func(d *Doc) []string {
			if strings.HasPrefix(d.JSICCode, x) {
				return []string{x}
			}
			return nil
		}) {
			return nil, &FilterError{Filter: "jsic", Value: x}
		}
		rf.jsic = append(rf.jsic, x)
	}
	for _, x := range f.Lot {
		ids := v.lookupKind(x, kLot)
		if len(ids) == 0 {
			return nil, &FilterError{Filter: "lot", Value: x}
		}
		for _, id := range ids {
			rf.lots |= lotLabels[v.concepts[id].label]
		}
	}
	for _, x := range f.Markets {
		ids := v.lookupKind(x, kMkt)
		if len(ids) == 0 {
			return nil, &FilterError{Filter: "markets", Value: x}
		}
		rf.mkts = append(rf.mkts, ids...)
	}
	switch strings.ToLower(strings.TrimSpace(f.Kind)) {
	case "":
	case "company", "companies", "企業", "会社":
		rf.kind = KindCompany
	case "lab", "labs", "研究室", "大学":
		rf.kind = KindLab
	default:
		return nil, &FilterError{Filter: "kind", Value: f.Kind}
	}
	if f.MinEmployees < 0 {
		return nil, &FilterError{Filter: "employees", Value: "min<0"}
	}
	if f.MaxEmployees < 0 || (f.MaxEmployees > 0 && f.MaxEmployees < f.MinEmployees) {
		return nil, &FilterError{Filter: "employees", Value: "max<min"}
	}
	rf.minEmp, rf.maxEmp = f.MinEmployees, f.MaxEmployees
	rf.any = len(rf.procs)+len(rf.rawProcs)+len(rf.mats)+len(rf.rawMats)+len(rf.certs)+len(rf.mkts)+len(rf.jsic) > 0 ||
		rf.kind != "" || rf.minEmp > 0 || rf.maxEmp > 0
	rf.explicit = rf.any || len(rf.cities) > 0 || rf.lots != 0
	return rf, nil
}

// rawValueKnown reports whether some live doc carries the value (for
// municipalities whose taxonomy has entries this engine does not know).
func (e *Engine) rawValueKnown(x string, vals func(d *Doc) []string) bool {
	n := normString(x)
	if n == "" {
		return false
	}
	for _, di := range e.docs {
		if di.deleted {
			continue
		}
		for _, v := range vals(di.doc) {
			if normString(v) == n {
				return true
			}
		}
	}
	return false
}

func (rf *resolvedFilters) match(di *docInfo) bool {
	if !rf.any {
		return true
	}
	d := di.doc
	if rf.kind != "" && d.Kind != rf.kind {
		return false
	}
	anyHas := func(ids []int32, raw []string, vals ...[]string) bool {
		for _, id := range ids {
			if s, f := di.has(id); s >= 50 && f&(fStruct|fInherited) != 0 || s >= 70 {
				return true
			}
		}
		for _, r := range raw {
			for _, list := range vals {
				for _, v := range list {
					if normString(v) == r {
						return true
					}
				}
			}
		}
		return false
	}
	if len(rf.procs)+len(rf.rawProcs) > 0 && !anyHas(rf.procs, rf.rawProcs, d.Processes, d.Specialties) {
		return false
	}
	if len(rf.mats)+len(rf.rawMats) > 0 && !anyHas(rf.mats, rf.rawMats, d.Materials) {
		return false
	}
	if len(rf.certs) > 0 && !anyHas(rf.certs, nil) {
		return false
	}
	if len(rf.mkts) > 0 && !anyHas(rf.mkts, nil) {
		return false
	}

	if len(rf.jsic) > 0 {
		ok := false
		for _, j := range rf.jsic {
			if strings.HasPrefix(d.JSICCode, j) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}

	if rf.minEmp > 0 && d.Employees < rf.minEmp {
		return false
	}
	if rf.maxEmp > 0 && (d.Employees == 0 || d.Employees > rf.maxEmp) {
		return false
	}
	return true
}

// ------------------------------------------------------------------ facets

// facet names
const (
	FacetProcess       = "process"
	FacetMaterial      = "material"
	FacetCertification = "certification"
	FacetCity          = "city"
	FacetLot           = "lot"
	FacetKind          = "kind"
	FacetMarket        = "market"
	FacetJSIC          = "jsic" // 2-digit 中分類
	FacetTopic         = "topic"
)

func (e *Engine) facetsFromCounts(counts []int32) map[string][]FacetCount {
	out := map[string][]FacetCount{}
	for id, n := range counts {
		if n == 0 {
			continue
		}
		fv := e.facetNames[id]
		out[fv[0]] = append(out[fv[0]], FacetCount{Value: fv[1], Count: int(n)})
	}
	for _, l := range out {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Count != l[j].Count {
				return l[i].Count > l[j].Count
			}
			return l[i].Value < l[j].Value
		})
	}
	return out
}

// facetIDs interns the doc's facet values (write lock held).
func (e *Engine) facetIDs(di *docInfo) []uint32 {
	d := di.doc
	vals := di.fv
	vals = append(vals[:len(vals):len(vals)], [2]string{FacetKind, d.Kind}, [2]string{FacetCity, d.City})
	if len(d.JSICCode) >= 2 {
		vals = append(vals, [2]string{FacetJSIC, d.JSICCode[:2]})
	}
	out := make([]uint32, 0, len(vals))
	for _, fv := range vals {
		if fv[1] == "" {
			continue
		}
		id, ok := e.facetDict[fv]
		if !ok {
			id = uint32(len(e.facetNames))
			e.facetDict[fv] = id
			e.facetNames = append(e.facetNames, fv)
		}
		out = append(out, id)
	}
	return out
}

// facetVals lists the doc's structured values as (facet, value) pairs.
func buildFacetVals(d *Doc, lots uint8) [][2]string {
	var out [][2]string
	add := func(f string, vals []string) {
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, [2]string{f, v})
			}
		}
	}
	add(FacetProcess, d.Processes)
	add(FacetMaterial, d.Materials)
	add(FacetCertification, d.Certifications)
	add(FacetMarket, d.Markets)
	add(FacetTopic, d.ResearchTopics)
	for lbl, b := range lotLabels {
		if lots&b != 0 {
			out = append(out, [2]string{FacetLot, lbl})
		}
	}
	return out
}
