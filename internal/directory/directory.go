// Package directory is the read side of the public company introduction site
// (市内企業紹介サイト): every published company and lab of a municipality as
// the public sees them, held in memory so that pages render without a
// query, with the counts and groupings the pages browse by.
//
// A snapshot is rebuilt after any change to the registry in this process
// (org.Service.OnChange), after a change another instance made (Invalidate,
// called by the search index as it follows the audit log) and, as a safety
// net, after MaxAge.
package directory

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/jp"
	"mieruka/internal/org"
)

// MaxAge is how long a snapshot is used before it is rebuilt anyway (in
// the background): a safety net for changes no instance was told about.
const MaxAge = 5 * time.Minute

// Entry is a published organization as the public sees it.
type Entry struct {
	org.Organization
	Row string // 五十音 row of the reading (あ … わ, 他)
}

// Count is one line of a breakdown.
type Count struct {
	Key   string // JSIC 中分類 code, process term …
	Label string
	N     int
}

// Snapshot is one municipality's directory at one moment.
type Snapshot struct {
	Municipality string
	Built        time.Time
	All          []*Entry // companies and labs in 五十音 order
	byID         map[int64]*Entry
	gen          int // the Service's change count it was built at
	Companies    int
	Labs         int
	ByIndustry   []Count // companies by JSIC 中分類
	ByProcess    []Count // companies by process term (taxonomy order)
	ByTopic      []Count // labs by research field (taxonomy order)
	Newest       []*Entry
	Featured     []*Entry
}

// Version names this snapshot, for caches of what is made from it.
func (s *Snapshot) Version() string {
	return strconv.FormatInt(s.Built.UnixNano(), 36)
}

// Get returns a published organization by id.
func (s *Snapshot) Get(id int64) (*Entry, bool) {
	e, ok := s.byID[id]
	return e, ok
}

// Service builds and caches snapshots. One build per municipality runs at a
// time, whatever the traffic: after a change, the requests that arrive wait
// for that one build; when a snapshot only grew old (MaxAge), it is served
// while its successor is built in the background.
type Service struct {
	Orgs *org.Service

	mu     sync.Mutex
	snap   map[string]*Snapshot
	gen    map[string]int     // bumped by each change; a snapshot of an older gen is not served
	flight map[string]*flight // the build in progress
}

type flight struct {
	done chan struct{}
	err  error
}

// New returns a directory over the registry and subscribes it to changes.
func New(orgs *org.Service) *Service {
	s := &Service{Orgs: orgs, snap: map[string]*Snapshot{}, gen: map[string]int{}, flight: map[string]*flight{}}
	orgs.OnChange(func(c org.Change) { s.Invalidate(c.Municipality) })
	return s
}

// Invalidate marks a municipality's snapshot out of date: the next request
// waits for a new one.
func (s *Service) Invalidate(municipality string) {
	s.mu.Lock()
	s.gen[municipality]++
	s.mu.Unlock()
}

// Snapshot returns the municipality's directory, building it if needed.
func (s *Service) Snapshot(ctx context.Context, municipality string) (*Snapshot, error) {
	for {
		s.mu.Lock()
		sn, ok := s.snap[municipality]
		current := ok && sn.gen == s.gen[municipality]
		if current && time.Since(sn.Built) < MaxAge {
			s.mu.Unlock()
			return sn, nil
		}
		f := s.start(ctx, municipality)
		s.mu.Unlock()
		if current {
			return sn, nil // old but right: serve it while the next one is built
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-f.done:
		}
		if f.err != nil {
			return nil, f.err
		}
		// Loop: the build may have started before a later change.
	}
}

// start returns the build in progress or starts one; s.mu is held.
func (s *Service) start(ctx context.Context, municipality string) *flight {
	if f, ok := s.flight[municipality]; ok {
		return f
	}
	f := &flight{done: make(chan struct{})}
	s.flight[municipality] = f
	gen := s.gen[municipality]
	go func() {
		// Not the request's context: others wait for this build too.
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		sn, err := s.build(bctx, municipality)
		s.mu.Lock()
		if err == nil {
			sn.gen = gen
			s.snap[municipality] = sn
		}
		f.err = err
		delete(s.flight, municipality)
		s.mu.Unlock()
		close(f.done)
	}()
	return f
}

func (s *Service) build(ctx context.Context, municipality string) (*Snapshot, error) {
	pub := auth.Anonymous(municipality)
	sn := &Snapshot{Municipality: municipality, Built: time.Now(), byID: map[int64]*Entry{}}
	keys := map[*Entry]string{}
	err := s.Orgs.Each(ctx, pub, org.ListQuery{}, func(o org.Organization) error {
		if o.Kind != org.KindCompany && o.Kind != org.KindLab {
			return nil
		}
		reading := o.Profile.NameKana
		if reading == "" {
			reading = jp.StripLegalForm(o.Profile.Name)
		}
		e := &Entry{Organization: o, Row: jp.GojuonRow(reading)}
		keys[e] = jp.SortKey(reading)
		sn.All = append(sn.All, e)
		sn.byID[o.ID] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	// 五十音 order, as the registry's sort key has it.
	sort.Slice(sn.All, func(i, j int) bool {
		a, b := sn.All[i], sn.All[j]
		if keys[a] != keys[b] {
			return keys[a] < keys[b]
		}
		return a.ID < b.ID
	})
	tax, err := s.Orgs.Taxonomy(ctx, municipality)
	if err != nil {
		return nil, err
	}
	industries := map[string]int{}
	processes := map[string]int{}
	topics := map[string]int{}
	for _, e := range sn.All {
		p := &e.Profile
		if e.Kind == org.KindLab {
			sn.Labs++
			for _, t := range p.ResearchTopics {
				topics[t]++
			}
			continue
		}
		sn.Companies++
		if m := jp.JSICMiddle(p.JSICCode); m != "" {
			industries[m]++
		}
		for _, t := range p.Processes {
			processes[t]++
		}
		if e.Featured {
			sn.Featured = append(sn.Featured, e)
		}
	}
	for _, e := range sn.All {
		if e.Kind == org.KindLab && e.Featured {
			sn.Featured = append(sn.Featured, e)
		}
	}
	for code, n := range industries {
		c := Count{Key: code, N: n, Label: code}
		if j, ok := jp.LookupJSIC(code); ok {
			c.Label = j.Name
		}
		sn.ByIndustry = append(sn.ByIndustry, c)
	}
	sort.Slice(sn.ByIndustry, func(i, j int) bool { return sn.ByIndustry[i].Key < sn.ByIndustry[j].Key })
	for _, t := range tax.Facets[org.FacetProcess] {
		if n := processes[t.Term]; n > 0 {
			sn.ByProcess = append(sn.ByProcess, Count{Key: t.Term, Label: t.Term, N: n})
		}
	}
	for _, t := range tax.Facets[org.FacetResearchTopic] {
		if n := topics[t.Term]; n > 0 {
			sn.ByTopic = append(sn.ByTopic, Count{Key: t.Term, Label: t.Term, N: n})
		}
	}
	newest := append([]*Entry(nil), sn.All...)
	sort.SliceStable(newest, func(i, j int) bool {
		a, b := newest[i].PublishedAt, newest[j].PublishedAt
		if a == nil || b == nil {
			return b == nil && a != nil
		}
		if a.Equal(*b) {
			return newest[i].ID > newest[j].ID
		}
		return a.After(*b)
	})
	if len(newest) > 8 {
		newest = newest[:8]
	}
	sn.Newest = newest
	return sn, nil
}

// Row lists the organizations of a 五十音 row (あ, か, …, 他), companies
// before labs.
func (s *Snapshot) Row(row string) []*Entry {
	var out []*Entry
	for _, kind := range []org.Kind{org.KindCompany, org.KindLab} {
		for _, e := range s.All {
			if e.Row == row && e.Kind == kind {
				out = append(out, e)
			}
		}
	}
	return out
}

// With lists the companies that have a process, or (labs) a research field.
func (s *Snapshot) With(facet org.Facet, term string) []*Entry {
	var out []*Entry
	for _, e := range s.All {
		var list []string
		switch facet {
		case org.FacetProcess:
			list = e.Profile.Processes
		case org.FacetResearchTopic:
			list = e.Profile.ResearchTopics
		case org.FacetMaterial:
			list = e.Profile.Materials
		case org.FacetCertification:
			list = e.Profile.Certifications
		}
		for _, t := range list {
			if t == term {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Industry lists the companies of a JSIC 中分類.
func (s *Snapshot) Industry(middle string) []*Entry {
	var out []*Entry
	for _, e := range s.All {
		if e.Kind == org.KindCompany && jp.JSICMiddle(e.Profile.JSICCode) == middle {
			out = append(out, e)
		}
	}
	return out
}

// Labs lists the labs.
func (s *Snapshot) LabList() []*Entry {
	var out []*Entry
	for _, e := range s.All {
		if e.Kind == org.KindLab {
			out = append(out, e)
		}
	}
	return out
}
