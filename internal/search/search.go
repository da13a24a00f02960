// Package search keeps the matching engine (internal/match) in step with the
// registry: it builds the index from the published companies and labs of
// every municipality at start-up, updates it when a profile is published,
// changed, unpublished or archived — in this instance at once, in the others
// by following the audit log — and keeps each municipality's own synonyms.
//
// The index holds what the public may see of each organization, and nothing
// else: search results are public.
package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/match"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// Service owns the engine of a process.
type Service struct {
	DB     *store.DB
	Orgs   *org.Service
	Auth   *auth.Service
	Engine *match.Engine
	Log    *slog.Logger
	// Changed is told which municipality's published organizations changed
	// on another instance (the directory drops its snapshot).
	Changed func(municipality string)
	// Poll is how often the audit log is read for other instances' changes.
	Poll time.Duration

	gen atomic.Int64 // counts changes to the index, for caches of results

	mu      sync.Mutex
	lastLog int64
	seen    map[int64]bool // audit ids handled near lastLog (PostgreSQL commits out of id order)

	// Changes wait in pending for one worker, which reads each organization
	// when it gets to it: the index never goes back to an older version.
	qmu     sync.Mutex
	pending map[int64]queued
	wake    chan struct{}
	// version is the version of each organization the index last saw
	// (-1: gone); a change another instance reports that this one already
	// applied is not applied twice.
	version map[int64]int
}

type queued struct {
	municipality string
	remote       bool // made by another instance: tell Changed
}

// New returns a search service with an empty engine whose "near" cities are
// the neighbours of the municipality-code table.
func New(db *store.DB, orgs *org.Service, a *auth.Service, log *slog.Logger) *Service {
	e := match.New(match.Options{Neighbours: neighbours})
	return &Service{DB: db, Orgs: orgs, Auth: a, Engine: e, Log: log, Poll: 2 * time.Second, seen: map[int64]bool{},
		pending: map[int64]queued{}, wake: make(chan struct{}, 1), version: map[int64]int{}}
}

// neighbours says whether two cities border each other, by jp's table.
func neighbours(a, b string) bool {
	ca, ok1 := jp.MunicipalityCodeByName(a)
	cb, ok2 := jp.MunicipalityCodeByName(b)
	if !ok1 || !ok2 {
		return match.DefaultNeighbours(a, b)
	}
	for _, n := range jp.Neighbours(ca) {
		if n == cb {
			return true
		}
	}
	return false
}

// Version names the state of the index: it changes after every update, so
// pages made from search results can be cached until then.
func (s *Service) Version() string { return "." + strconv.FormatInt(s.gen.Load(), 36) }

// DocOf is what the index knows of an organization: its public fields.
func DocOf(o org.Organization) match.Doc {
	p := o.Profile.Visible(org.Public)
	d := match.Doc{ID: o.ID, ExternalID: o.ExternalID, Municipality: o.Municipality, Kind: string(o.Kind),
		Name: p.Name, NameKana: p.NameKana, City: p.Address.City, CityCode: p.Address.CityCode, JSICCode: p.JSICCode,
		Employees: p.Employees, CapitalYen: p.CapitalYen, FoundedYear: p.FoundedYear,
		Processes: p.Processes, Specialties: p.Specialties, Materials: p.Materials, Certifications: p.Certifications,
		Lot: p.Lot, Markets: p.Markets, MaxWorkpieceSize: p.MaxWorkpieceSize,
		CatchPhrase: p.CatchPhrase, PRText: p.PRText, Strengths: p.Strengths,
		University: p.University, Department: strings.TrimSpace(p.Faculty + " " + p.Department),
		ResearchTopics: p.ResearchTopics, Keywords: p.Keywords, SeedsText: p.SeedsText, Collaboration: p.Collaboration}
	if d.ExternalID == "" {
		d.ExternalID = strconv.FormatInt(o.ID, 10)
	}
	for _, e := range p.Equipment {
		d.Equipment = append(d.Equipment, strings.TrimSpace(e.Name+" "+e.Spec))
	}
	for _, x := range p.Products {
		d.Products = append(d.Products, x.Name)
	}
	return d
}

// indexed reports whether an organization belongs in the index.
func indexed(o org.Organization) bool {
	return o.Published && o.Status == org.StatusActive && (o.Kind == org.KindCompany || o.Kind == org.KindLab)
}

// Start loads the dictionary, builds the index and the synonyms, and follows
// changes until ctx ends.
func (s *Service) Start(ctx context.Context) error {
	start := time.Now()
	if err := match.WarmUp(); err != nil {
		return err
	}
	// The audit position first: changes made while building are replayed.
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&s.lastLog); err != nil {
		return err
	}
	// Synonyms before the index, so that each document is read once, with them.
	if err := s.loadSynonyms(ctx, ""); err != nil {
		return err
	}
	n, err := s.Build(ctx)
	if err != nil {
		return err
	}
	s.Orgs.OnChange(func(c org.Change) { s.enqueue(c.Municipality, c.ID, false) })
	s.Log.Info("search index built", "organizations", n, "took", time.Since(start).Round(time.Millisecond))
	go s.work(ctx)
	go s.follow(ctx)
	return nil
}

// enqueue asks the worker to bring an organization's entry up to date.
func (s *Service) enqueue(municipality string, id int64, remote bool) {
	s.qmu.Lock()
	q := s.pending[id]
	s.pending[id] = queued{municipality: municipality, remote: remote || q.remote}
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// work applies queued changes until ctx ends.
func (s *Service) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.qmu.Lock()
		batch := s.pending
		s.pending = map[int64]queued{}
		s.qmu.Unlock()
		changed := map[string]bool{}
		for id, q := range batch {
			if s.refresh(context.WithoutCancel(ctx), q.municipality, id) && q.remote {
				changed[q.municipality] = true
			}
		}
		if s.Changed != nil {
			for m := range changed {
				s.Changed(m)
			}
		}
	}
}

// Build (re)builds the index from every municipality's published companies
// and labs, and returns how many it holds.
func (s *Service) Build(ctx context.Context) (int, error) {
	var docs []match.Doc
	rows, err := s.DB.R.QueryContext(ctx, "SELECT code FROM municipalities ORDER BY code")
	if err != nil {
		return 0, err
	}
	var munis []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		munis = append(munis, c)
	}
	rows.Close()
	published := true
	versions := map[int64]int{}
	for _, m := range munis {
		err := s.Orgs.Each(ctx, auth.System("search", m), org.ListQuery{Published: &published}, func(o org.Organization) error {
			versions[o.ID] = o.Version
			if indexed(o) {
				docs = append(docs, DocOf(o))
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	s.qmu.Lock()
	maps.Copy(s.version, versions)
	s.qmu.Unlock()
	if err := s.Engine.Build(docs); err != nil {
		return 0, err
	}
	s.gen.Add(1)
	return len(docs), nil
}

// refresh brings one organization's entry up to date, and reports whether
// it had changed since the index last saw it.
func (s *Service) refresh(ctx context.Context, municipality string, id int64) bool {
	o, err := s.Orgs.Get(ctx, auth.System("search", municipality), id)
	v := o.Version
	if errs.Is(err, errs.NotFound) {
		v = -1
	} else if err != nil {
		s.Log.Warn("search index: could not read an organization", "id", id, "error", err)
		return false
	}
	s.qmu.Lock()
	last, known := s.version[id]
	s.version[id] = v
	s.qmu.Unlock()
	if known && last == v {
		return false
	}
	if v >= 0 && indexed(o) {
		doc := DocOf(o)
		if cur, ok := s.Engine.Doc(id); ok && reflect.DeepEqual(cur, doc) {
			return true // a draft, a rejection, featuring: the published profile is as indexed
		}
		defer s.gen.Add(1)
		if err := s.Engine.Upsert(doc); err != nil {
			s.Log.Warn("search index: could not index an organization", "id", id, "error", err)
		}
	} else if s.Engine.Remove(id) {
		s.gen.Add(1)
	}
	return true
}

// follow reads the audit log for changes made by other instances.
func (s *Service) follow(ctx context.Context) {
	t := time.NewTicker(s.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.CatchUp(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("search index: following changes", "error", err)
			}
		}
	}
}

// lookback re-reads audit ids just below the last one seen: in PostgreSQL a
// transaction that took a smaller id may commit after a larger one.
const lookback = 200

// CatchUp applies the changes in the audit log since the last look.
func (s *Service) CatchUp(ctx context.Context) error {
	s.mu.Lock()
	from := s.lastLog - lookback
	s.mu.Unlock()
	rows, err := s.DB.R.QueryContext(ctx, s.DB.Rebind(`SELECT id, COALESCE(municipality_code, ''), entity, entity_id FROM audit_log
		WHERE id > ? AND entity IN ('organization', 'synonym') ORDER BY id LIMIT 5000`), from)
	if err != nil {
		return err
	}
	type change struct {
		id           int64
		muni, entity string
		entityID     string
	}
	var todo []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.id, &c.muni, &c.entity, &c.entityID); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, c)
	}
	rows.Close()
	orgs := map[[2]string]bool{}
	synonyms := map[string]bool{}
	s.mu.Lock()
	for _, c := range todo {
		if s.seen[c.id] {
			continue
		}
		s.seen[c.id] = true
		if c.id > s.lastLog {
			s.lastLog = c.id
		}
		if c.entity == "synonym" {
			synonyms[c.muni] = true
		} else {
			orgs[[2]string{c.muni, c.entityID}] = true
		}
	}
	for id := range s.seen {
		if id < s.lastLog-2*lookback {
			delete(s.seen, id)
		}
	}
	s.mu.Unlock()
	for k := range orgs {
		if id, err := strconv.ParseInt(k[1], 10, 64); err == nil {
			s.enqueue(k[0], id, true)
		}
	}
	for m := range synonyms {
		if err := s.loadSynonyms(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// Synonym is one of a municipality's own entries.
type Synonym struct {
	Canonical string    `json:"canonical"`
	Variants  []string  `json:"variants"`
	Kind      string    `json:"kind,omitempty"` // process, material … or "" (a free term)
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitempty"`
}

// Synonyms lists the actor's municipality's entries.
func (s *Service) Synonyms(ctx context.Context, a auth.Actor) ([]Synonym, error) {
	return s.synonyms(ctx, a.Municipality)
}

func (s *Service) synonyms(ctx context.Context, municipality string) ([]Synonym, error) {
	rows, err := s.DB.R.QueryContext(ctx, s.DB.Rebind("SELECT canonical, variants, kind, updated_by, updated_at FROM synonyms WHERE municipality_code = ? ORDER BY canonical"), municipality)
	if err != nil {
		return nil, errs.Wrap(err, "list synonyms")
	}
	defer rows.Close()
	out := []Synonym{}
	for rows.Next() {
		var sy Synonym
		var variants string
		if err := rows.Scan(&sy.Canonical, &variants, &sy.Kind, &sy.UpdatedBy, &sy.UpdatedAt); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(variants), &sy.Variants)
		out = append(out, sy)
	}
	return out, rows.Err()
}

// loadSynonyms gives the engine one municipality's entries, or ("") all.
func (s *Service) loadSynonyms(ctx context.Context, municipality string) error {
	var munis []string
	if municipality != "" {
		munis = []string{municipality}
	} else {
		rows, err := s.DB.R.QueryContext(ctx, "SELECT DISTINCT municipality_code FROM synonyms")
		if err != nil {
			return err
		}
		for rows.Next() {
			var m string
			rows.Scan(&m)
			munis = append(munis, m)
		}
		rows.Close()
	}
	for _, m := range munis {
		list, err := s.synonyms(ctx, m)
		if err != nil {
			return err
		}
		entries := make([]match.SynonymEntry, 0, len(list))
		for _, sy := range list {
			entries = append(entries, match.SynonymEntry{Canonical: sy.Canonical, Variants: sy.Variants, Kind: sy.Kind})
		}
		if sameSynonyms(entries, s.Engine.Synonyms(m)) {
			continue // already applied (this instance saved them, or nothing changed)
		}
		if err := s.Engine.SetSynonyms(m, entries); err != nil {
			return err
		}
		s.gen.Add(1)
	}
	return nil
}

func sameSynonyms(a, b []match.SynonymEntry) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// SynonymKinds are the kinds an entry may name.
var SynonymKinds = []string{"", "process", "specialty", "material", "certification", "lot", "market", "topic", "equipment", "product"}

// SaveSynonym adds or replaces an entry and applies it without a restart.
func (s *Service) SaveSynonym(ctx context.Context, a auth.Actor, sy Synonym) error {
	if !a.Can(auth.PermRegistryManage) {
		return errs.New(errs.Forbidden, "同義語を編集する権限がありません", "You may not edit synonyms")
	}
	var fe errs.Fields
	sy.Canonical = strings.TrimSpace(sy.Canonical)
	var variants []string
	seen := map[string]bool{}
	for _, v := range sy.Variants {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '、' || r == ',' || r == '，' }) {
			if part = strings.TrimSpace(part); part != "" && part != sy.Canonical && !seen[part] {
				seen[part] = true
				variants = append(variants, part)
			}
		}
	}
	sy.Variants = variants
	if sy.Canonical == "" {
		fe.Add("canonical", "基本の語を入力してください", "Enter the term")
	} else if len([]rune(sy.Canonical)) > 60 {
		fe.Add("canonical", "基本の語は60文字以内にしてください", "The term must be at most 60 characters")
	}
	if len(sy.Variants) == 0 {
		fe.Add("variants", "言い換え（同じ意味の語）を1つ以上入力してください", "Enter at least one variant")
	} else if len(sy.Variants) > 50 {
		fe.Add("variants", "言い換えは50個までです", "At most 50 variants")
	}
	for _, v := range sy.Variants {
		if len([]rune(v)) > 60 {
			fe.Add("variants", "言い換えは1つ60文字以内にしてください", "Each variant must be at most 60 characters")
			break
		}
	}
	known := false
	for _, k := range SynonymKinds {
		known = known || k == sy.Kind
	}
	if !known {
		fe.Add("kind", "種類が正しくありません", "Unknown kind")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	variantsJSON, _ := json.Marshal(sy.Variants)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.DB.Rebind(`INSERT INTO synonyms (municipality_code, canonical, variants, kind, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (municipality_code, canonical) DO UPDATE SET variants = excluded.variants, kind = excluded.kind, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
			a.Municipality, sy.Canonical, string(variantsJSON), sy.Kind, a.Label(), store.Now()); err != nil {
			return err
		}
		return s.Auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "synonym.save", Entity: "synonym", EntityID: sy.Canonical, After: sy})
	})
	if err != nil {
		return errs.Wrap(err, "save synonym")
	}
	return s.loadSynonyms(ctx, a.Municipality)
}

// DeleteSynonym removes an entry.
func (s *Service) DeleteSynonym(ctx context.Context, a auth.Actor, canonical string) error {
	if !a.Can(auth.PermRegistryManage) {
		return errs.New(errs.Forbidden, "同義語を編集する権限がありません", "You may not edit synonyms")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.DB.Rebind("DELETE FROM synonyms WHERE municipality_code = ? AND canonical = ?"), a.Municipality, canonical)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf("同義語が見つかりません", "No such entry")
		}
		return s.Auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "synonym.delete", Entity: "synonym", EntityID: canonical})
	})
	if err != nil {
		return err
	}
	return s.loadSynonyms(ctx, a.Municipality)
}
