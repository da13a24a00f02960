package web

import (
	"net/http"
	"slices"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type visitIssueData struct {
	visitPage
	New      bool
	I        visit.CompanyIssue
	In       visit.IssueInput // what the form holds
	Version  int
	Staff    []visit.UserBrief
	CanEdit  bool
	Conflict *visit.CompanyIssue
}

// HasCap, HasPillar and HasMeasure tick the form's boxes.
func (d visitIssueData) HasCap(c visit.Capability) bool { return slices.Contains(d.In.Capabilities, c) }

// HasPillar reports whether the pillar is ticked.
func (d visitIssueData) HasPillar(p visit.Pillar) bool { return slices.Contains(d.In.Pillars, p) }

// HasMeasure reports whether the measure is ticked.
func (d visitIssueData) HasMeasure(code string) bool { return slices.Contains(d.In.Measures, code) }

func issueInputOf(i visit.CompanyIssue) visit.IssueInput {
	return visit.IssueInput{OrganizationID: i.OrganizationID, VisitID: i.VisitID, ConsultationID: i.ConsultationID, Title: i.Title, Detail: i.Detail,
		Capabilities: i.Capabilities, Pillars: i.Pillars, Measures: i.Measures, Status: i.Status, OwnerID: i.OwnerID, DueOn: i.DueOn}
}

func issueFromForm(r *http.Request) visit.IssueInput {
	return visit.IssueInput{OrganizationID: formID(r, "organization_id"), VisitID: formID(r, "visit_id"), ConsultationID: formID(r, "consultation_id"),
		Title: r.PostFormValue("title"), Detail: r.PostFormValue("detail"), Capabilities: formCaps(r, "capabilities"), Pillars: formPillars(r, "pillars"),
		Measures: r.PostForm["measures"], Status: visit.IssueStatus(r.PostFormValue("status")), OwnerID: formID(r, "owner_id"), DueOn: visit.Date(r.PostFormValue("due_on"))}
}

func (s *Server) renderIssue(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d visitIssueData, err error) {
	staff, serr := s.Visits.StaffUsers(r.Context(), q.Actor)
	if serr != nil {
		s.fail(w, r, q, serr)
		return
	}
	d.visitPage, d.Staff, d.CanEdit = s.visitPage(q, "issues"), staff, q.Actor.Can(auth.PermVisitEdit)
	title := d.I.Title
	if d.New {
		title = q.T("課題の登録", "New company issue")
	}
	s.render(w, r, status, "visit_issue_show", s.page(r, q, title, "visits", d).withError(err))
}

func (s *Server) visitIssueShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	i, err := s.Visits.GetIssue(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.renderIssue(w, r, q, http.StatusOK, visitIssueData{I: i, In: issueInputOf(i), Version: i.Version}, nil)
}

// visitIssueCreate adds an issue from a visit's, a consultation's or a
// company's page; it returns there.
func (s *Server) visitIssueCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := issueFromForm(r)
	i, err := s.Visits.CreateIssue(r.Context(), q.Actor, in)
	if err != nil {
		d := visitIssueData{New: true, In: in}
		d.I.OrganizationID, d.I.VisitID, d.I.ConsultationID = in.OrganizationID, in.VisitID, in.ConsultationID
		if o, oerr := s.Orgs.Get(r.Context(), q.Actor, in.OrganizationID); oerr == nil {
			d.I.OrganizationName = o.Profile.Name
		}
		s.renderIssue(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	back := "/staff/company-issues/" + itoa(i.ID)
	switch {
	case in.VisitID > 0:
		back = visitURL(in.VisitID)
	case in.ConsultationID > 0:
		back = "/staff/consultations/" + itoa(in.ConsultationID)
	}
	s.redirect(w, r, back, q.T("課題を登録しました", "The issue is recorded"))
}

func (s *Server) visitIssueUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Visits.GetIssue(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := issueFromForm(r)
	version := formInt(r, "version")
	if _, err := s.Visits.UpdateIssue(ctx, q.Actor, id, version, in); err != nil {
		d := visitIssueData{I: cur, In: in, Version: version}
		if c, ok := errs.As(err).Current.(visit.CompanyIssue); ok {
			d.Conflict, d.Version = &c, c.Version
		}
		s.renderIssue(w, r, q, httpx.Status(errs.CodeOf(err)), d, err)
		return
	}
	s.redirect(w, r, "/staff/company-issues/"+itoa(id), q.T("課題を保存しました", "The issue is saved"))
}
