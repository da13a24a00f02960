// Package directory is the read side of the public company introduction site
// (市内企業紹介サイト): every published company and lab of a municipality as
// the public sees them, held in memory so that pages render without a
// query, with the counts and groupings the pages browse by.
//
// A snapshot is rebuilt after any change to the registry in this process
// (org.Service.OnChange) and, so that several instances stay in step, after
// at most MaxAge.
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

// MaxAge is how long a snapshot is used before it is rebuilt anyway.
const MaxAge = 30 * time.Second

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
	Companies    int
	Labs         int
	ByIndustry   []Count // companies by JSIC 中分類
	ByProcess    []Count // companies by process term (taxonomy order)
	ByTopic      []Count // labs by research field (taxonomy order)
	Newest       []*Entry
	Featured     []*Entry

	dfOnce sync.Once
	df     map[string]int
}

// Terms are the capability words of an entry that similarity compares.
func (e *Entry) Terms() []string {
	p := &e.Profile
	var out []string
	for _, l := range [][]string{p.Processes, p.Specialties, p.Materials, p.ResearchTopics, p.Keywords} {
		out = append(out, l...)
	}
	return out
}

// TermFreq counts, once per snapshot, how many entries have each term.
func (s *Snapshot) TermFreq() map[string]int {
	s.dfOnce.Do(func() {
		s.df = map[string]int{}
		for _, e := range s.All {
			for _, t := range e.Terms() {
				s.df[t]++
			}
		}
	})
	return s.df
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

// Service builds and caches snapshots.
type Service struct {
	Orgs *org.Service
	mu   sync.Mutex
	snap map[string]*Snapshot
}

// New returns a directory over the registry and subscribes it to changes.
func New(orgs *org.Service) *Service {
	s := &Service{Orgs: orgs, snap: map[string]*Snapshot{}}
	orgs.OnChange(func(c org.Change) {
		s.mu.Lock()
		delete(s.snap, c.Municipality)
		s.mu.Unlock()
	})
	return s
}

// Invalidate drops a municipality's snapshot: the next request rebuilds it.
func (s *Service) Invalidate(municipality string) {
	s.mu.Lock()
	delete(s.snap, municipality)
	s.mu.Unlock()
}

// Snapshot returns the municipality's directory, building it if needed.
func (s *Service) Snapshot(ctx context.Context, municipality string) (*Snapshot, error) {
	s.mu.Lock()
	sn, ok := s.snap[municipality]
	s.mu.Unlock()
	if ok && time.Since(sn.Built) < MaxAge {
		return sn, nil
	}
	sn, err := s.build(ctx, municipality)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.snap[municipality] = sn
	s.mu.Unlock()
	return sn, nil
}

func (s *Service) build(ctx context.Context, municipality string) (*Snapshot, error) {
	pub := auth.Anonymous(municipality)
	sn := &Snapshot{Municipality: municipality, Built: time.Now(), byID: map[int64]*Entry{}}
	for page := 1; ; page++ {
		res, err := s.Orgs.List(ctx, pub, org.ListQuery{Page: page, PerPage: 500})
		if err != nil {
			return nil, err
		}
		for _, o := range res.Items {
			if o.Kind != org.KindCompany && o.Kind != org.KindLab {
				continue
			}
			reading := o.Profile.NameKana
			if reading == "" {
				reading = jp.StripLegalForm(o.Profile.Name)
			}
			e := &Entry{Organization: o, Row: jp.GojuonRow(reading)}
			sn.All = append(sn.All, e)
			sn.byID[o.ID] = e
		}
		if page >= res.Pages() {
			break
		}
	}
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
