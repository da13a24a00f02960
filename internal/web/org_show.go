package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
	"mieruka/internal/report"
	"mieruka/internal/visit"
)

type orgShowData struct {
	O      org.Organization
	Groups []org.FieldGroup
	Diff   []fieldChange // draft against the approved profile
	// PublicURL is the organization's page on the public directory.
	PublicURL string
	// Visits sums up the company's visits and consultations (staff only).
	Visits *visit.CompanySummary
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, ok := s.orgOfPath(w, r, q)
	if !ok {
		return
	}
	s.renderOrgShow(w, r, q, o, http.StatusOK, nil)
}

func (s *Server) renderOrgShow(w http.ResponseWriter, r *http.Request, q *httpx.Req, o org.Organization, status int, err error) {
	d := orgShowData{O: o, PublicURL: report.PageURL("", o)}
	for _, g := range org.FieldGroups {
		d.Groups = append(d.Groups, g.Group)
	}
	if o.Draft != nil {
		d.Diff = diffProfiles(o.Profile, *o.Draft)
	}
	if s.Visits != nil && q.Actor.Can(auth.PermVisitRead) && (o.Kind == org.KindCompany || o.Kind == org.KindLab) {
		if sum, err := s.Visits.Summary(r.Context(), q.Actor, o.ID); err == nil {
			d.Visits = &sum
		}
	}
	s.render(w, r, status, "org_show", s.page(r, q, o.Profile.Name, "organizations", d).withError(err))
}

// orgAction runs a versioned state change from a form button.
func (s *Server) orgAction(w http.ResponseWriter, r *http.Request, q *httpx.Req, do func(id int64, version int) (org.Organization, error), okJA, okEN string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if _, err := do(id, formInt(r, "version")); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.redirect(w, r, orgURL(id), q.T(okJA, okEN))
}

func (s *Server) orgApprove(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) { return s.Orgs.Approve(r.Context(), q.Actor, id, v) },
		"下書きを承認し、公開版にしました", "The draft is approved and is now the published version")
}

func (s *Server) orgReject(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.Reject(r.Context(), q.Actor, id, v, r.PostFormValue("note"))
	}, "下書きを差し戻しました", "The draft was sent back")
}

func (s *Server) orgPublish(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	publish := r.PostFormValue("published") == "1"
	ja, en := "非公開にしました", "Hidden from the public"
	if publish {
		ja, en = "公開しました", "Published"
	}
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.SetPublished(r.Context(), q.Actor, id, v, publish)
	}, ja, en)
}

func (s *Server) orgArchive(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.Archive(r.Context(), q.Actor, id, v, r.PostFormValue("reason"))
	}, "アーカイブしました", "Archived")
}

func (s *Server) orgRestore(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) { return s.Orgs.Restore(r.Context(), q.Actor, id, v) },
		"利用中に戻しました", "Restored")
}
