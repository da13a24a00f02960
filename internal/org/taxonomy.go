package org

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"

	"golang.org/x/text/unicode/norm"
)

// Facet names a controlled vocabulary.
type Facet string

const (
	FacetProcess       Facet = "process"        // 加工技術
	FacetMaterial      Facet = "material"       // 材料
	FacetCertification Facet = "certification"  // 認証
	FacetLot           Facet = "lot"            // ロット
	FacetMarket        Facet = "market"         // 主な市場
	FacetSpecialty     Facet = "specialty"      // 得意技術
	FacetResearchTopic Facet = "research_topic" // 研究分野
	FacetCollaboration Facet = "collaboration"  // 連携形態
)

// Facets lists the vocabularies in display order.
var Facets = []Facet{FacetProcess, FacetMaterial, FacetCertification, FacetLot, FacetSpecialty, FacetMarket, FacetResearchTopic, FacetCollaboration}

// Controlled reports whether profile values of the facet must be terms of the
// taxonomy. Specialties and markets are open lists the taxonomy only suggests.
func (f Facet) Controlled() bool {
	switch f {
	case FacetSpecialty, FacetMarket:
		return false
	}
	return true
}

// ValidFacet reports whether f is a known facet.
func ValidFacet(f Facet) bool {
	for _, x := range Facets {
		if x == f {
			return true
		}
	}
	return false
}

// FacetLabel names a facet for people.
func FacetLabel(f Facet, lang string) string {
	ja := map[Facet]string{FacetProcess: "加工技術", FacetMaterial: "材料", FacetCertification: "認証", FacetLot: "ロット", FacetMarket: "主な市場", FacetSpecialty: "得意技術", FacetResearchTopic: "研究分野", FacetCollaboration: "連携形態"}
	en := map[Facet]string{FacetProcess: "Processes", FacetMaterial: "Materials", FacetCertification: "Certifications", FacetLot: "Lot size", FacetMarket: "Markets", FacetSpecialty: "Specialties", FacetResearchTopic: "Research fields", FacetCollaboration: "Collaboration"}
	if lang == "en" {
		return en[f]
	}
	return ja[f]
}

// Term is one entry of a vocabulary.
type Term struct {
	Term     string `json:"term"`
	EN       string `json:"en,omitempty"`
	Position int    `json:"position"`
}

// Label is the term in the language asked for.
func (t Term) Label(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.Term
}

// Taxonomy is a municipality's vocabularies.
type Taxonomy struct {
	Facets map[Facet][]Term `json:"facets"`
	byKey  map[Facet]map[string]Term
}

func newTaxonomy(facets map[Facet][]Term) *Taxonomy {
	t := &Taxonomy{Facets: facets, byKey: map[Facet]map[string]Term{}}
	for f, terms := range facets {
		m := make(map[string]Term, len(terms)*2)
		for _, term := range terms {
			m[jp.Fold(term.Term)] = term
			if term.EN != "" {
				m[jp.Fold(term.EN)] = term
			}
		}
		t.byKey[f] = m
	}
	return t
}

// Canonical returns the term of the facet that s names, whatever its width or
// kana (ｱﾙﾐ → アルミ) or language (Aluminium → アルミ).
func (t *Taxonomy) Canonical(f Facet, s string) (string, bool) {
	term, ok := t.byKey[f][jp.Fold(s)]
	return term.Term, ok
}

// Label returns the display label of a term, or the term itself.
func (t *Taxonomy) Label(f Facet, term, lang string) string {
	if x, ok := t.byKey[f][jp.Fold(term)]; ok {
		return x.Label(lang)
	}
	return term
}

//go:embed data/taxonomy.json
var defaultTaxonomyJSON []byte

// DefaultTaxonomy is the vocabulary every new municipality starts with.
func DefaultTaxonomy() map[Facet][]Term {
	var raw map[Facet][][2]string
	if err := json.Unmarshal(defaultTaxonomyJSON, &raw); err != nil {
		panic("org: embedded taxonomy: " + err.Error())
	}
	out := map[Facet][]Term{}
	for f, pairs := range raw {
		for i, p := range pairs {
			out[f] = append(out[f], Term{Term: p[0], EN: p[1], Position: i})
		}
	}
	return out
}

// taxonomyCache keeps each municipality's taxonomy for a short while: it is
// read on every profile save and search, and changed rarely. The short
// lifetime lets several instances see each other's changes.
type taxonomyCache struct {
	mu      sync.Mutex
	entries map[string]taxonomyEntry
}

type taxonomyEntry struct {
	t      *Taxonomy
	loaded time.Time
}

const taxonomyTTL = 30 * time.Second

// Taxonomy returns the municipality's vocabularies.
func (s *Service) Taxonomy(ctx context.Context, municipality string) (*Taxonomy, error) {
	s.tax.mu.Lock()
	e, ok := s.tax.entries[municipality]
	s.tax.mu.Unlock()
	if ok && time.Since(e.loaded) < taxonomyTTL {
		return e.t, nil
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.ListTerms, municipality)
	if err != nil {
		return nil, errs.Wrap(err, "load taxonomy")
	}
	defer rows.Close()
	facets := map[Facet][]Term{}
	for rows.Next() {
		var f Facet
		var t Term
		if err := rows.Scan(&f, &t.Term, &t.EN, &t.Position); err != nil {
			return nil, err
		}
		facets[f] = append(facets[f], t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t := newTaxonomy(facets)
	s.tax.mu.Lock()
	if s.tax.entries == nil {
		s.tax.entries = map[string]taxonomyEntry{}
	}
	s.tax.entries[municipality] = taxonomyEntry{t: t, loaded: time.Now()}
	s.tax.mu.Unlock()
	return t, nil
}

func (s *Service) forgetTaxonomy(municipality string) {
	s.tax.mu.Lock()
	delete(s.tax.entries, municipality)
	s.tax.mu.Unlock()
}

// SeedTaxonomy gives a municipality the default vocabularies, adding only
// terms it does not have yet.
func (s *Service) SeedTaxonomy(ctx context.Context, a auth.Actor, municipality string) error {
	if !a.Can(auth.PermRegistryManage) || a.Municipality != municipality {
		return errs.New(errs.Forbidden, "分類を編集する権限がありません", "You may not edit the taxonomy")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for f, terms := range DefaultTaxonomy() {
			for _, t := range terms {
				if _, err := tx.ExecContext(ctx, s.q.SeedTerm, municipality, f, t.Term, t.EN, t.Position); err != nil {
					return err
				}
			}
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: municipality, Action: "taxonomy.seed", Entity: "taxonomy", EntityID: municipality})
	})
	s.forgetTaxonomy(municipality)
	return errs.Wrap(err, "seed taxonomy")
}

// SaveTerm adds a term to a facet or changes its English label and position.
func (s *Service) SaveTerm(ctx context.Context, a auth.Actor, f Facet, t Term) error {
	if !a.Can(auth.PermRegistryManage) {
		return errs.New(errs.Forbidden, "分類を編集する権限がありません", "You may not edit the taxonomy")
	}
	var fe errs.Fields
	if !ValidFacet(f) {
		fe.Add("facet", "分類の種類が正しくありません", "Unknown vocabulary")
	}
	t.Term = strings.TrimSpace(cleanLine(norm.NFKC.String(t.Term)))
	t.EN = strings.TrimSpace(t.EN)
	if t.Term == "" {
		fe.Add("term", "用語を入力してください", "Enter the term")
	} else if len([]rune(t.Term)) > 60 {
		fe.Add("term", "用語は60文字以内にしてください", "The term must be at most 60 characters")
	}
	if len([]rune(t.EN)) > 100 {
		fe.Add("en", "英語名は100文字以内にしてください", "The English label must be at most 100 characters")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.UpsertTerm, a.Municipality, f, t.Term, t.EN, t.Position); err != nil {
			return err
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "taxonomy.save", Entity: "taxonomy", EntityID: string(f) + ":" + t.Term, After: t})
	})
	s.forgetTaxonomy(a.Municipality)
	return errs.Wrap(err, "save term")
}

// DeleteTerm removes a term that no organization uses.
func (s *Service) DeleteTerm(ctx context.Context, a auth.Actor, f Facet, term string) error {
	if !a.Can(auth.PermRegistryManage) {
		return errs.New(errs.Forbidden, "分類を編集する権限がありません", "You may not edit the taxonomy")
	}
	var used int
	if err := s.db.R.QueryRowContext(ctx, s.q.CountTermUse, a.Municipality, f, term).Scan(&used); err != nil {
		return errs.Wrap(err, "count term use")
	}
	if used > 0 {
		return errs.New(errs.Conflict, "この用語は使われているため削除できません（"+itoa(int64(used))+"件）", "The term is in use by "+itoa(int64(used))+" organizations and cannot be deleted")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.DeleteTerm, a.Municipality, f, term)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf("用語が見つかりません", "No such term")
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "taxonomy.delete", Entity: "taxonomy", EntityID: string(f) + ":" + term})
	})
	s.forgetTaxonomy(a.Municipality)
	return err
}
