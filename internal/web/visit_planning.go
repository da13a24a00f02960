package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type visitPlanningData struct {
	visitPage
	Agenda  visit.Agenda
	Who     int64
	Staff   []visit.UserBrief
	List    visit.NotVisited
	Months  int
	Planned bool
	Pager   pager
	CanEdit bool
	// How many there are when the lists show only the first ones.
	OverdueTotal, DueSoonTotal int
	Self                       bool // the plan shown is the viewer's own
}

// Others names who else goes on a visit than the person whose plan it is.
func (d visitPlanningData) Others(v visit.Visit) []string {
	var out []string
	for _, a := range v.Attendees {
		if a.UserID != d.Who {
			out = append(out, a.Name)
		}
	}
	return out
}

// agendaShown is how many follow-ups of each list the page shows.
const agendaShown = 8

// visitPlanning is the coordinators' start page: one person's visits and
// follow-ups (their own, or a colleague's), and the companies not visited
// for a while, in priority order.
func (s *Server) visitPlanning(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	v := r.URL.Query()
	d := visitPlanningData{visitPage: s.visitPage(q, "planning"), Who: formID(r, "user"), Months: atoiQuery(r, "months"), Planned: v.Get("planned") == "1",
		CanEdit: q.Actor.Can(auth.PermVisitEdit)}
	if d.Who <= 0 {
		d.Who = q.Actor.UserID
	}
	p := s.page(r, q, q.T("訪問計画", "Visit planning"), "visits", nil)
	var err error
	if d.Staff, err = s.Visits.StaffUsers(ctx, q.Actor); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if d.Agenda, err = s.Visits.Agenda(ctx, q.Actor, d.Who, 14); err != nil {
		p.withError(err)
	}
	d.OverdueTotal, d.DueSoonTotal, d.Self = len(d.Agenda.Overdue), len(d.Agenda.DueSoon), d.Who == q.Actor.UserID
	d.Agenda.Overdue = d.Agenda.Overdue[:min(agendaShown, len(d.Agenda.Overdue))]
	d.Agenda.DueSoon = d.Agenda.DueSoon[:min(agendaShown, len(d.Agenda.DueSoon))]
	d.List, err = s.Visits.NotVisited(ctx, q.Actor, visit.PlanningQuery{Months: d.Months, WithPlanned: d.Planned, Page: atoiDefault(v.Get("page"), 1), PerPage: 30})
	if err != nil {
		p.withError(err)
	}
	d.Months = d.List.Months
	d.Pager = pager{Query: r.URL.Query(), Page: d.List.Page, Pages: d.List.Pages()}
	p.Data = d
	s.render(w, r, http.StatusOK, "visit_planning", p)
}
