package web

import (
	"net/http"
	"slices"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/visit"
)

type visitTimelineData struct {
	visitPage
	O        org.Organization
	Summary  visit.CompanySummary
	T        visit.Timeline
	Kinds    []string
	Selected []string
	Next     string // query of the next page
	CanEdit  bool
}

// Picked reports whether a kind is filtered on.
func (d visitTimelineData) Picked(kind string) bool { return slices.Contains(d.Selected, kind) }

// When writes an item's day (and time, for timed items) briefly.
func (d visitTimelineData) When(it visit.TimelineItem, lang string) string {
	if it.AllDay {
		return visit.ShortDate(it.At, lang)
	}
	return visit.ShortDate(it.At, lang) + " " + it.At.In(jp.JST).Format("15:04")
}

// Group is the label of the fiscal year an item falls in, for headings.
func (d visitTimelineData) Group(t time.Time, lang string) string {
	return visit.FiscalYearLabel(fiscalYearOf(t), lang)
}

func (s *Server) visitTimeline(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	o, err := s.Orgs.Get(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d := visitTimelineData{visitPage: s.visitPage(q, ""), O: o, CanEdit: q.Actor.Can(auth.PermVisitEdit),
		Kinds: []string{visit.KindVisit, visit.KindIssue, visit.KindConsultation, visit.KindReferral, visit.KindInquiry}, Selected: r.URL.Query()["kind"]}
	tq := visit.TimelineQuery{Kinds: d.Selected, Limit: 40}
	if b := r.URL.Query().Get("before"); b != "" {
		if t, err := time.Parse(time.RFC3339Nano, b); err == nil {
			tq.Before = t
		}
	}
	if d.Summary, err = s.Visits.Summary(ctx, q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	p := s.page(r, q, o.Profile.Name+q.T("のタイムライン", ": timeline"), "visits", nil)
	d.T, err = s.Visits.Timeline(ctx, q.Actor, id, tq)
	if err != nil {
		p.withError(err)
	}
	if d.T.Next != nil {
		d.Next = queryWith(r.URL.Query(), "before", d.T.Next.UTC().Format(time.RFC3339Nano))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "visit_timeline", p)
}
