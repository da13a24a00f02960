package visit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

// PlanningQuery asks for the companies not visited for a while.
type PlanningQuery struct {
	Months        int  // not visited (nor consulted) for this many months; 0: the municipality's setting (default 12)
	WithPlanned   bool // keep companies that already have a visit planned
	Page, PerPage int
}

// PlanningRow is a company of the planning list, with why it is where it is.
type PlanningRow struct {
	OrganizationID int64      `json:"organization_id"`
	Name           string     `json:"name"`
	NameKana       string     `json:"name_kana,omitempty"`
	City           string     `json:"city,omitempty"`
	LastVisit      *time.Time `json:"last_visit,omitempty"`
	LastContact    *time.Time `json:"last_contact,omitempty"` // the last visit or consultation
	LifeStage      LifeStage  `json:"life_stage,omitempty"`   // as recorded at the last visit that noted it
	OpenIssues     int        `json:"open_company_issues"`
	NextPlanned    *time.Time `json:"next_planned_visit,omitempty"`
	MonthsSince    int        `json:"months_since_contact"` // -1: never contacted
	Rank           int        `json:"rank"`
}

// SinceLabel says how long ago the last contact was, for people.
func (r PlanningRow) SinceLabel(lang string) string {
	switch {
	case r.MonthsSince < 0 && lang == "en":
		return "Never visited"
	case r.MonthsSince < 0:
		return "訪問記録なし"
	case lang == "en":
		return fmt.Sprintf("%d months ago", r.MonthsSince)
	case r.MonthsSince >= 24:
		return fmt.Sprintf("%d年%dか月前", r.MonthsSince/12, r.MonthsSince%12)
	}
	return fmt.Sprintf("%dか月前", r.MonthsSince)
}

// Reason explains the row's priority in one line.
func (r PlanningRow) Reason(lang string) string {
	var parts []string
	if r.OpenIssues > 0 {
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("%d open issue(s)", r.OpenIssues))
		} else {
			parts = append(parts, fmt.Sprintf("未解決の課題%d件", r.OpenIssues))
		}
	}
	if r.LifeStage.critical() {
		parts = append(parts, r.LifeStage.Label(lang))
	}
	parts = append(parts, r.SinceLabel(lang))
	if lang == "en" {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, "・")
}

// NotVisited is the planning list.
type NotVisited struct {
	Months  int           `json:"months"`
	Cutoff  time.Time     `json:"cutoff"`
	Items   []PlanningRow `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

// Pages is the number of pages.
func (n NotVisited) Pages() int {
	if n.PerPage == 0 {
		return 0
	}
	return (n.Total + n.PerPage - 1) / n.PerPage
}

// NotVisited lists the active companies with no visit and no consultation
// for Months months, in an order staff can follow: most open CompanyIssues
// first; then companies at a critical stage (承継期, 転換期); then the
// longest without contact, never-visited first. Companies with a visit
// already planned are left out unless asked for (they then come last).
func (s *Service) NotVisited(ctx context.Context, a auth.Actor, q PlanningQuery) (NotVisited, error) {
	out := NotVisited{Items: []PlanningRow{}}
	if !seesAll(a) {
		return out, errNoRead
	}
	var fe errs.Fields
	if q.Months < 0 || q.Months > 120 {
		fe.Add("months", "月数は1から120の間で指定してください", "months must be between 1 and 120")
	}
	checkPaging(&fe, &q.Page, &q.PerPage)
	if err := fe.Err(); err != nil {
		return out, err
	}
	if q.Months == 0 {
		q.Months = 12
		if s.munis != nil {
			if m, err := s.munis.Get(ctx, a.Municipality); err == nil && m.Settings.NotVisitedMonths > 0 {
				q.Months = m.Settings.NotVisitedMonths
			}
		}
	}
	now := s.Now()
	cutoff := now.AddDate(0, -q.Months, 0)
	out.Months, out.Cutoff, out.Page, out.PerPage = q.Months, cutoff, q.Page, q.PerPage
	rows, err := s.db.R.QueryContext(ctx, s.q.PlanningCandidates, now.UTC(), a.Municipality)
	if err != nil {
		return out, errs.Wrap(err, "planning list")
	}
	defer rows.Close()
	var all []PlanningRow
	for rows.Next() {
		var r PlanningRow
		var lastVisit, lastCons, next dbTime
		if err := rows.Scan(&r.OrganizationID, &r.Name, &r.NameKana, &r.City, &lastVisit, &lastCons, &r.LifeStage, &r.OpenIssues, &next); err != nil {
			return out, errs.Wrap(err, "planning list")
		}
		r.LastVisit, r.NextPlanned = lastVisit.ptr(), next.ptr()
		r.LastContact = lastVisit.ptr()
		if lastCons.Valid && (!lastVisit.Valid || lastCons.Time.After(lastVisit.Time)) {
			r.LastContact = lastCons.ptr()
		}
		if r.LastContact != nil && !r.LastContact.Before(cutoff) {
			continue
		}
		if r.NextPlanned != nil && !q.WithPlanned {
			continue
		}
		r.MonthsSince = -1
		if r.LastContact != nil {
			r.MonthsSince = monthsBetween(*r.LastContact, now)
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return out, errs.Wrap(err, "planning list")
	}
	slices.SortStableFunc(all, func(x, y PlanningRow) int {
		if (x.NextPlanned == nil) != (y.NextPlanned == nil) {
			if x.NextPlanned == nil {
				return -1
			}
			return 1
		}
		if x.OpenIssues != y.OpenIssues {
			return y.OpenIssues - x.OpenIssues
		}
		if cx, cy := x.LifeStage.critical(), y.LifeStage.critical(); cx != cy {
			if cx {
				return -1
			}
			return 1
		}
		switch {
		case x.LastContact == nil && y.LastContact == nil:
		case x.LastContact == nil:
			return -1
		case y.LastContact == nil:
			return 1
		default:
			if c := x.LastContact.Compare(*y.LastContact); c != 0 {
				return c
			}
		}
		return strings.Compare(x.NameKana, y.NameKana)
	})
	for i := range all {
		all[i].Rank = i + 1
	}
	out.Total = len(all)
	from := min((q.Page-1)*q.PerPage, len(all))
	to := min(from+q.PerPage, len(all))
	out.Items = append(out.Items, all[from:to]...)
	return out, nil
}

func monthsBetween(from, to time.Time) int {
	from, to = from.In(jp.JST), to.In(jp.JST)
	m := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
	if to.Day() < from.Day() {
		m--
	}
	return max(m, 0)
}

// FollowUp is something someone promised to come back to: a CompanyIssue's
// due date, a referral's or a consultation's follow-up date.
type FollowUp struct {
	Kind             string `json:"kind"` // company_issue, referral, consultation
	ID               int64  `json:"id"`
	OrganizationID   int64  `json:"organization_id"`
	OrganizationName string `json:"organization_name"`
	Title            string `json:"title"`
	Due              Date   `json:"due"`
	Status           string `json:"status"`
	OwnerID          int64  `json:"owner_id"`
	OwnerName        string `json:"owner_name"`
	URL              string `json:"url"`
}

// KindLabel names the follow-up's kind.
func (f FollowUp) KindLabel(lang string) string { return KindLabel(f.Kind, lang) }

// TitleLabel says what is to be followed up: the issue's title, the
// consultation's subject, or for a referral where the company was sent.
func (f FollowUp) TitleLabel(lang string) string {
	if f.Kind != KindReferral {
		return f.Title
	}
	if lang == "en" {
		return "Referral to " + f.Title
	}
	return f.Title + "への紹介"
}

// StatusLabel names its status.
func (f FollowUp) StatusLabel(lang string) string { return statusLabel(f.Kind, f.Status, lang) }

// DaysLate is how many days past due it is on day today.
func (f FollowUp) DaysLate(today Date) int {
	return int(today.Time().Sub(f.Due.Time()).Hours() / 24)
}

// Agenda is one person's upcoming visits and follow-ups.
type Agenda struct {
	UserID   int64      `json:"user_id"`
	Today    Date       `json:"today"`
	Days     int        `json:"days"`
	Upcoming []Visit    `json:"upcoming_visits"`
	Overdue  []FollowUp `json:"overdue"`
	DueSoon  []FollowUp `json:"due_soon"` // from today for a week
}

// Agenda returns a person's planned visits for the next days and their
// follow-ups that are overdue or due within a week. userID 0 is the actor;
// staff may look at anyone's; bank staff see their own visits only.
func (s *Service) Agenda(ctx context.Context, a auth.Actor, userID int64, days int) (Agenda, error) {
	if userID == 0 {
		userID = a.UserID
	}
	if days == 0 {
		days = 14
	}
	ag := Agenda{UserID: userID, Today: s.today(), Days: days, Upcoming: []Visit{}, Overdue: []FollowUp{}, DueSoon: []FollowUp{}}
	switch {
	case seesAll(a):
	case isBank(a) && userID == a.UserID:
	default:
		return ag, errNoRead
	}
	if days < 1 || days > 366 {
		return ag, errs.Fields{{Field: "days", JA: "日数は1から366の間で指定してください", EN: "days must be between 1 and 366"}}.Err()
	}
	if userID == 0 {
		return ag, nil
	}
	now := s.Now()
	vs, err := s.plannedVisits(ctx, s.db.R, a.Municipality, userID, now, now.AddDate(0, 0, days))
	if err != nil {
		return ag, err
	}
	for _, v := range vs {
		v, _ = viewVisit(a, v)
		ag.Upcoming = append(ag.Upcoming, v)
	}
	if !seesAll(a) {
		return ag, nil
	}
	fs, err := s.followUps(ctx, a.Municipality, userID, ag.Today.AddDays(7))
	if err != nil {
		return ag, err
	}
	for _, f := range fs {
		if f.Due.Before(ag.Today) {
			ag.Overdue = append(ag.Overdue, f)
		} else {
			ag.DueSoon = append(ag.DueSoon, f)
		}
	}
	return ag, nil
}

// plannedVisits are the planned visits in [from, to), of one attendee or (0) all.
func (s *Service) plannedVisits(ctx context.Context, q store.Querier, muni string, userID int64, from, to time.Time) ([]Visit, error) {
	rows, err := q.QueryContext(ctx, s.q.AgendaVisits, muni, from.UTC(), to.UTC(), userID, userID)
	if err != nil {
		return nil, errs.Wrap(err, "planned visits")
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillAttendees(ctx, out)
}

// followUps are the open follow-ups due before horizon, of one owner or (0) all.
func (s *Service) followUps(ctx context.Context, muni string, owner int64, horizon Date) ([]FollowUp, error) {
	var out []FollowUp
	for _, k := range []struct {
		kind, query, url string
	}{
		{KindIssue, s.q.AgendaIssues, "/staff/company-issues/%d"},
		{KindReferral, s.q.AgendaReferrals, "/staff/referrals/%d"},
		{KindConsultation, s.q.AgendaConsultations, "/staff/consultations/%d"},
	} {
		rows, err := s.db.R.QueryContext(ctx, k.query, muni, string(horizon), owner, owner)
		if err != nil {
			return nil, errs.Wrap(err, "follow-ups")
		}
		for rows.Next() {
			f := FollowUp{Kind: k.kind}
			if err := rows.Scan(&f.ID, &f.OrganizationID, &f.OrganizationName, &f.Title, &f.Due, &f.Status, &f.OwnerID, &f.OwnerName); err != nil {
				rows.Close()
				return nil, err
			}
			f.URL = fmt.Sprintf(k.url, f.ID)
			out = append(out, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(x, y FollowUp) int { return strings.Compare(string(x.Due), string(y.Due)) })
	return out, nil
}
