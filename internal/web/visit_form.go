package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

// issueRows is how many empty rows for issues found the visit form offers.
const issueRows = 3

// visitFormData is what the visit form template needs.
type visitFormData struct {
	visitPage
	Action   string
	New      bool
	ID       int64
	V        visit.VisitInput
	Version  int
	OrgName  string
	Date     string
	Time     string
	Staff    []visit.UserBrief
	Rows     []visit.IssueInput // rows for new issues
	Existing []visit.CompanyIssue
	Conflict *visit.Visit
}

// Attends reports whether the account is ticked as an attendee.
func (d visitFormData) Attends(id int64) bool { return slices.Contains(d.V.AttendeeIDs, id) }

// HasCap and HasPillar tick the tag boxes.
func (d visitFormData) HasCap(c visit.Capability) bool { return slices.Contains(d.V.Capabilities, c) }

// HasPillar reports whether the pillar is ticked.
func (d visitFormData) HasPillar(p visit.Pillar) bool { return slices.Contains(d.V.Pillars, p) }

// Lines writes a list one per line for a textarea.
func (visitFormData) Lines(list []string) string { return strings.Join(list, "\n") }

// Durations are the choices of how long a visit takes.
func (visitFormData) Durations() []int { return []int{30, 45, 60, 90, 120, 180, 240} }

// RowCap is the capability of an issue row (one per row in the form).
func (visitFormData) RowCap(in visit.IssueInput) visit.Capability {
	if len(in.Capabilities) > 0 {
		return in.Capabilities[0]
	}
	return ""
}

// RowMeasure is the measure of an issue row.
func (visitFormData) RowMeasure(in visit.IssueInput) string {
	if len(in.Measures) > 0 {
		return in.Measures[0]
	}
	return ""
}

func (s *Server) newVisitForm(ctx context.Context, q *httpx.Req, in visit.VisitInput) (*visitFormData, error) {
	staff, err := s.Visits.StaffUsers(ctx, q.Actor)
	if err != nil {
		return nil, err
	}
	d := &visitFormData{visitPage: s.visitPage(q, "visits"), V: in, Staff: staff, Date: inputDate(in.StartsAt), Time: inputTime(in.StartsAt)}
	d.Rows = append(append([]visit.IssueInput{}, in.NewIssues...), make([]visit.IssueInput, issueRows)...)
	return d, nil
}

// visitFromForm reads the visit form. rows maps the issues passed to the
// service back to the form's rows (empty rows are skipped), so that field
// errors point at the right row.
func visitFromForm(r *http.Request) (in visit.VisitInput, rows []int) {
	minutes, err := strconv.Atoi(r.PostFormValue("minutes"))
	if err != nil {
		minutes = -1
	}
	in = visit.VisitInput{
		OrganizationID:   formID(r, "organization_id"),
		Status:           visit.VisitStatus(r.PostFormValue("status")),
		StartsAt:         formTime(r, "starts_at", "starts_at_time"),
		Minutes:          minutes,
		Purpose:          r.PostFormValue("purpose"),
		Capabilities:     formCaps(r, "capabilities"),
		Pillars:          formPillars(r, "pillars"),
		LifeStage:        visit.LifeStage(r.PostFormValue("life_stage")),
		Notes:            r.PostFormValue("notes"),
		AttendeeIDs:      formIDs(r, "attendee_ids"),
		CompanyAttendees: formLines(r, "company_attendees"),
		OtherAttendees:   formLines(r, "other_attendees"),
	}
	for i := 0; i < 20; i++ {
		pre := fmt.Sprintf("new_issues[%d].", i)
		if _, ok := r.PostForm[pre+"title"]; !ok {
			break
		}
		is := issueFromRow(r, pre)
		if strings.TrimSpace(is.Title) == "" && is.DueOn == "" {
			continue
		}
		// An issue found at a visit counts under the visit's tags unless
		// its row names its own.
		if len(is.Capabilities) == 0 {
			is.Capabilities = in.Capabilities
		}
		if len(is.Pillars) == 0 {
			is.Pillars = in.Pillars
		}
		in.NewIssues = append(in.NewIssues, is)
		rows = append(rows, i)
	}
	return in, rows
}

func issueFromRow(r *http.Request, pre string) visit.IssueInput {
	is := visit.IssueInput{Title: r.PostFormValue(pre + "title"), DueOn: visit.Date(r.PostFormValue(pre + "due_on")), OwnerID: formID(r, pre+"owner_id")}
	if c := r.PostFormValue(pre + "capability"); c != "" {
		is.Capabilities = []visit.Capability{visit.Capability(c)}
		is.Pillars = nil
	}
	if m := r.PostFormValue(pre + "measure"); m != "" {
		is.Measures = []string{m}
		if mm, ok := visit.MeasureByCode(m); ok {
			is.Pillars = []visit.Pillar{mm.Pillar}
		}
	}
	return is
}

// rowErrors renames the service's field names of new issues to the form's
// rows ("new_issues[0]." of the second filled row is "new_issues[1].").
func rowErrors(err error, rows []int) error {
	e := errs.As(err)
	if len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		for k, row := range rows {
			from := fmt.Sprintf("new_issues[%d].", k)
			if strings.HasPrefix(f.Field, from) {
				f.Field = fmt.Sprintf("new_issues[%d].", row) + strings.TrimPrefix(f.Field, from)
				break
			}
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}

// formRows puts the rows typed back where they were.
func formRowsOf(r *http.Request) []visit.IssueInput {
	var out []visit.IssueInput
	for i := 0; i < 20; i++ {
		pre := fmt.Sprintf("new_issues[%d].", i)
		if _, ok := r.PostForm[pre+"title"]; !ok {
			break
		}
		out = append(out, issueFromRow(r, pre))
	}
	return out
}
