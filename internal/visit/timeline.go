package visit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
)

// Kinds of timeline items. Packages that come later (directory inquiries,
// grant applications and result reports) add theirs through a TimelineSource.
const (
	KindVisit        = "visit"
	KindIssue        = "company_issue"
	KindConsultation = "consultation"
	KindReferral     = "referral"
	KindInquiry      = "inquiry"
	KindApplication  = "application"
	KindReport       = "result_report"
)

var kindLabels = map[string][2]string{
	KindVisit: {"企業訪問", "Visit"}, KindIssue: {"課題", "Company issue"}, KindConsultation: {"相談", "Consultation"},
	KindReferral: {"紹介", "Referral"}, KindInquiry: {"問い合わせ", "Inquiry"}, KindApplication: {"申請", "Application"},
	KindReport: {"実績報告", "Result report"},
}

// KindLabel names a kind of timeline item.
func KindLabel(kind, lang string) string { return pick(kindLabels[kind], lang, kind) }

// TimelineItem is one event in a company's history.
type TimelineItem struct {
	Kind    string    `json:"kind"`
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	AllDay  bool      `json:"all_day,omitempty"` // At is a day without a time
	Title   string    `json:"title"`
	Summary string    `json:"summary,omitempty"`
	Status  string    `json:"status,omitempty"`       // the item's own status code
	Label   string    `json:"status_label,omitempty"` // and its name in the asker's language
	URL     string    `json:"url,omitempty"`          // the staff page of the item
	People  []string  `json:"people,omitempty"`       // who attended or handles it
}

// KindLabel names the item's kind.
func (t TimelineItem) KindLabel(lang string) string { return KindLabel(t.Kind, lang) }

// TimelineSource adds a kind of item to company timelines. Items must be of
// the actor's municipality and ones the actor may see, newest first, with
// At strictly before q.Before when it is set, at most q.Limit of them.
type TimelineSource interface {
	Timeline(ctx context.Context, a auth.Actor, organizationID int64, q TimelineQuery) ([]TimelineItem, error)
}

// TimelineSourceFunc adapts a function to a TimelineSource.
type TimelineSourceFunc func(ctx context.Context, a auth.Actor, organizationID int64, q TimelineQuery) ([]TimelineItem, error)

// Timeline calls f.
func (f TimelineSourceFunc) Timeline(ctx context.Context, a auth.Actor, organizationID int64, q TimelineQuery) ([]TimelineItem, error) {
	return f(ctx, a, organizationID, q)
}

// AddTimelineSource registers a source of timeline items.
func (s *Service) AddTimelineSource(src TimelineSource) {
	s.mu.Lock()
	s.sources = append(s.sources, src)
	s.mu.Unlock()
}

// TimelineQuery pages through a timeline, newest first.
type TimelineQuery struct {
	Before time.Time // items strictly before this instant; zero for the newest
	Limit  int       // default 50, at most 200
	Kinds  []string  // only these kinds; empty for all
}

// Timeline is one page of a company's history.
type Timeline struct {
	OrganizationID   int64          `json:"organization_id"`
	OrganizationName string         `json:"organization_name"`
	Items            []TimelineItem `json:"items"`
	// Next is the Before of the next page; zero when there is none.
	Next *time.Time `json:"next_before,omitempty"`
}

// Timeline returns a company's visits, CompanyIssues, consultations,
// referrals and whatever registered sources add, newest first.
//
// Paging is by time: a page ends with every item at its last instant (so a
// page may hold a few more than Limit), and the next page starts before it.
func (s *Service) Timeline(ctx context.Context, a auth.Actor, organizationID int64, q TimelineQuery) (Timeline, error) {
	if !seesAll(a) {
		return Timeline{}, errNoRead
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	if q.Limit < 1 || q.Limit > 200 {
		return Timeline{}, errs.Fields{{Field: "limit", JA: "件数は1から200の間で指定してください", EN: "limit must be between 1 and 200"}}.Err()
	}
	for _, k := range q.Kinds {
		if _, ok := kindLabels[k]; !ok {
			return Timeline{}, errs.Fields{{Field: "kind", JA: "種類「" + k + "」はありません", EN: "Unknown kind " + k}}.Err()
		}
	}
	o, err := s.orgOf(ctx, s.db.R, a, organizationID)
	if err != nil {
		return Timeline{}, err
	}
	t := Timeline{OrganizationID: o.ID, OrganizationName: o.Name, Items: []TimelineItem{}}
	want := func(kind string) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, kind) }
	before := q.Before
	if before.IsZero() {
		before = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// Ask every source for Limit+1 so a page boundary can keep ties.
	sq := TimelineQuery{Before: before, Limit: q.Limit + 1, Kinds: q.Kinds}
	type fetch func(q TimelineQuery) ([]TimelineItem, error)
	var fetchers []fetch
	for _, b := range []struct {
		kind string
		fn   fetch
	}{
		{KindVisit, func(q TimelineQuery) ([]TimelineItem, error) { return s.timelineVisits(ctx, a, organizationID, q) }},
		{KindIssue, func(q TimelineQuery) ([]TimelineItem, error) { return s.timelineIssues(ctx, a, organizationID, q) }},
		{KindConsultation, func(q TimelineQuery) ([]TimelineItem, error) {
			return s.timelineConsultations(ctx, a, organizationID, q)
		}},
		{KindReferral, func(q TimelineQuery) ([]TimelineItem, error) { return s.timelineReferrals(ctx, a, organizationID, q) }},
	} {
		if want(b.kind) {
			fetchers = append(fetchers, b.fn)
		}
	}
	s.mu.RLock()
	sources := slices.Clone(s.sources)
	s.mu.RUnlock()
	for _, src := range sources {
		fetchers = append(fetchers, func(q TimelineQuery) ([]TimelineItem, error) {
			items, err := src.Timeline(ctx, a, organizationID, q)
			return slices.DeleteFunc(items, func(it TimelineItem) bool { return !it.At.Before(q.Before) || !want(it.Kind) }), err
		})
	}
	results := make([][]TimelineItem, len(fetchers))
	var all []TimelineItem
	for i, fn := range fetchers {
		items, err := fn(sq)
		if err != nil {
			return t, err
		}
		results[i] = items
		all = append(all, items...)
	}
	order := func(x, y TimelineItem) int {
		if c := y.At.Compare(x.At); c != 0 {
			return c
		}
		if x.Kind != y.Kind {
			return strings.Compare(x.Kind, y.Kind)
		}
		return int(y.ID - x.ID)
	}
	slices.SortStableFunc(all, order)
	if len(all) > q.Limit {
		// The page ends with every item at its last instant. A source
		// whose page ended at that instant may hold more of them: fetch
		// that instant whole.
		last := all[q.Limit-1].At
		seen := map[string]bool{}
		for _, it := range all {
			seen[it.Kind+"/"+strconv.FormatInt(it.ID, 10)] = true
		}
		for i, fn := range fetchers {
			r := results[i]
			if len(r) < sq.Limit || !r[len(r)-1].At.Equal(last) {
				continue
			}
			more, err := fn(TimelineQuery{Before: last.Add(time.Microsecond), Limit: 1000, Kinds: q.Kinds})
			if err != nil {
				return t, err
			}
			for _, it := range more {
				if key := it.Kind + "/" + strconv.FormatInt(it.ID, 10); it.At.Equal(last) && !seen[key] {
					seen[key] = true
					all = append(all, it)
				}
			}
		}
		slices.SortStableFunc(all, order)
		cut := q.Limit
		for cut < len(all) && all[cut].At.Equal(last) {
			cut++
		}
		if cut < len(all) {
			next := all[cut-1].At
			t.Next = &next
		}
		all = all[:cut]
	}
	t.Items = append(t.Items, all...)
	lang := a.Lang
	for i := range t.Items {
		if t.Items[i].Label == "" {
			t.Items[i].Label = statusLabel(t.Items[i].Kind, t.Items[i].Status, lang)
		}
	}
	return t, nil
}

func statusLabel(kind, status, lang string) string {
	switch kind {
	case KindVisit:
		return VisitStatus(status).Label(lang)
	case KindIssue:
		return IssueStatus(status).Label(lang)
	case KindConsultation:
		return ConsultationStatus(status).Label(lang)
	case KindReferral:
		return Outcome(status).Label(lang)
	}
	return status
}

func (s *Service) timelineRows(ctx context.Context, query string, args []any, scan func(interface{ Scan(...any) error }) (TimelineItem, error)) ([]TimelineItem, error) {
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "timeline")
	}
	defer rows.Close()
	var out []TimelineItem
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, errs.Wrap(err, "timeline")
		}
		out = append(out, it)
	}
	return out, errs.Wrap(rows.Err(), "timeline")
}

func (s *Service) timelineVisits(ctx context.Context, a auth.Actor, orgID int64, q TimelineQuery) ([]TimelineItem, error) {
	items, err := s.timelineRows(ctx, s.q.TimelineVisits, []any{orgID, a.Municipality, q.Before.UTC(), q.Limit}, func(r interface{ Scan(...any) error }) (TimelineItem, error) {
		it := TimelineItem{Kind: KindVisit}
		var notes, stage string
		var caps, pillars int
		err := r.Scan(&it.ID, &it.At, &it.Title, &it.Status, &notes, &stage, &caps, &pillars)
		it.URL = fmt.Sprintf("/staff/visits/%d", it.ID)
		it.Summary = summarize(notes, 140)
		var tags []string
		if stage != "" {
			tags = append(tags, LifeStage(stage).Label(a.Lang))
		}
		for _, c := range capsOf(caps) {
			tags = append(tags, c.Label(a.Lang))
		}
		for _, p := range pillarsOf(pillars) {
			tags = append(tags, p.Short(a.Lang))
		}
		if len(tags) > 0 {
			it.Summary = "［" + strings.Join(tags, "・") + "］" + it.Summary
		}
		return it, err
	})
	if err != nil || len(items) == 0 {
		return items, err
	}
	// Who went: one query for the page.
	vs := make([]Visit, len(items))
	for i, it := range items {
		vs[i] = Visit{ID: it.ID}
	}
	if err := s.fillAttendees(ctx, vs); err != nil {
		return nil, err
	}
	for i := range items {
		for _, x := range vs[i].Attendees {
			items[i].People = append(items[i].People, x.Name)
		}
	}
	return items, nil
}

func (s *Service) timelineIssues(ctx context.Context, a auth.Actor, orgID int64, q TimelineQuery) ([]TimelineItem, error) {
	return s.timelineRows(ctx, s.q.TimelineIssues, []any{orgID, a.Municipality, q.Before.UTC(), q.Limit}, func(r interface{ Scan(...any) error }) (TimelineItem, error) {
		it := TimelineItem{Kind: KindIssue}
		var owner, due string
		err := r.Scan(&it.ID, &it.At, &it.Title, &it.Status, &owner, &due)
		it.URL = fmt.Sprintf("/staff/company-issues/%d", it.ID)
		if owner != "" {
			it.People = []string{owner}
		}
		if due != "" {
			it.Summary = map[bool]string{true: "Due ", false: "期限 "}[a.Lang == "en"] + Date(due).Format(a.Lang)
		}
		return it, err
	})
}

func (s *Service) timelineConsultations(ctx context.Context, a auth.Actor, orgID int64, q TimelineQuery) ([]TimelineItem, error) {
	return s.timelineRows(ctx, s.q.TimelineConsults, []any{orgID, a.Municipality, q.Before.UTC(), q.Limit}, func(r interface{ Scan(...any) error }) (TimelineItem, error) {
		it := TimelineItem{Kind: KindConsultation}
		var category, channel, request, owner string
		err := r.Scan(&it.ID, &it.At, &it.Title, &it.Status, &category, &channel, &request, &owner)
		it.URL = fmt.Sprintf("/staff/consultations/%d", it.ID)
		it.Summary = "［" + Category(category).Label(a.Lang) + "・" + Channel(channel).Label(a.Lang) + "］" + summarize(request, 140)
		if owner != "" {
			it.People = []string{owner}
		}
		return it, err
	})
}

func (s *Service) timelineReferrals(ctx context.Context, a auth.Actor, orgID int64, q TimelineQuery) ([]TimelineItem, error) {
	// A referral has a day, not a time: it sorts at noon of that day. The
	// query reads the days up to the one Before falls on (a few more rows
	// than asked for, for that day) and those not before Before are dropped.
	items, err := s.timelineRows(ctx, s.q.TimelineReferrals, []any{orgID, a.Municipality, string(nextDay(q.Before)), q.Limit + 20}, func(r interface{ Scan(...any) error }) (TimelineItem, error) {
		it := TimelineItem{Kind: KindReferral, AllDay: true}
		var day, agency, subject, owner string
		err := r.Scan(&it.ID, &day, &agency, &it.Status, &subject, &owner)
		it.At = Date(day).Time().Add(12 * time.Hour)
		it.URL = fmt.Sprintf("/staff/referrals/%d", it.ID)
		if a.Lang == "en" {
			it.Title = "Referred to " + agency
		} else {
			it.Title = agency + "へ紹介"
		}
		it.Summary = subject
		if owner != "" {
			it.People = []string{owner}
		}
		return it, err
	})
	return slices.DeleteFunc(items, func(it TimelineItem) bool { return !it.At.Before(q.Before) }), err
}

// nextDay is the Date after the one t falls on.
func nextDay(t time.Time) Date {
	if t.Year() >= 9999 {
		return "9999-12-31"
	}
	return DateOf(t).AddDays(1)
}

// summarize shortens text to n characters on one line.
func summarize(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// CompanySummary is what an organization's page shows of its visits.
type CompanySummary struct {
	Visits        int        `json:"visits"`
	LastVisit     *time.Time `json:"last_visit,omitempty"`
	NextVisit     *time.Time `json:"next_visit,omitempty"`
	OpenIssues    int        `json:"open_company_issues"`
	OpenReferrals int        `json:"open_referrals"`
	Consultations int        `json:"consultations"`
	LifeStage     LifeStage  `json:"life_stage,omitempty"`
}

// Summary sums up a company's visits for its registry page (staff only;
// others get an empty summary).
func (s *Service) Summary(ctx context.Context, a auth.Actor, organizationID int64) (CompanySummary, error) {
	var c CompanySummary
	if !seesAll(a) {
		return c, nil
	}
	var last, next dbTime
	err := s.db.R.QueryRowContext(ctx, s.q.CompanySummary, s.now(), organizationID, a.Municipality).
		Scan(&c.Visits, &last, &next, &c.OpenIssues, &c.OpenReferrals, &c.Consultations, &c.LifeStage)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errOrgNotFound
	}
	c.LastVisit, c.NextVisit = last.ptr(), next.ptr()
	return c, errs.Wrap(err, "company summary")
}
