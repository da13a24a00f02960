package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

// The member's own organization: see the published version and the draft,
// edit the draft, send it for approval.

type myData struct {
	O    org.Organization
	Diff []fieldChange
}

func (s *Server) myShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, err := s.Orgs.Get(r.Context(), q.Actor, q.Actor.OrganizationID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.renderMy(w, r, q, o, http.StatusOK, nil)
}

func (s *Server) renderMy(w http.ResponseWriter, r *http.Request, q *httpx.Req, o org.Organization, status int, err error) {
	d := myData{O: o}
	if o.Draft != nil {
		d.Diff = diffProfiles(o.Profile, *o.Draft)
	}
	s.render(w, r, status, "my", s.page(r, q, o.Profile.Name, "my", d).withError(err))
}

func (s *Server) myEdit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, err := s.Orgs.Get(r.Context(), q.Actor, q.Actor.OrganizationID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	tax, err := s.Orgs.Taxonomy(r.Context(), q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	p := o.Profile
	if o.Draft != nil {
		p = *o.Draft
	}
	f := newProfileForm(o.Kind, p, tax)
	f.Action, f.Org, f.Version, f.Member = "/my", o, o.Version, true
	s.render(w, r, http.StatusOK, "org_form", s.page(r, q, q.T("登録内容の編集（下書き）", "Edit our profile (draft)"), "my", f))
}

func (s *Server) mySave(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Orgs.Get(ctx, q.Actor, q.Actor.OrganizationID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	submit := r.PostFormValue("submit") != ""
	version := formInt(r, "version")
	p := profileFromForm(r, cur.Profile, false)
	if _, err := s.Orgs.SaveDraft(ctx, q.Actor, cur.ID, version, p, submit); err != nil {
		tax, terr := s.Orgs.Taxonomy(ctx, q.Actor.Municipality)
		if terr != nil {
			s.fail(w, r, q, terr)
			return
		}
		f := newProfileForm(cur.Kind, p, tax)
		f.Action, f.Org, f.Version, f.Member = "/my", cur, version, true
		if c, ok := errs.As(err).Current.(org.Organization); ok {
			f.Conflict, f.Version = &c, c.Version
		}
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "org_form", s.page(r, q, q.T("登録内容の編集（下書き）", "Edit our profile (draft)"), "my", f).withError(err))
		return
	}
	msg := q.T("下書きを保存しました", "Draft saved")
	if submit {
		msg = q.T("承認を申請しました。市の担当者が確認します", "Sent for approval: the city's staff will check it")
	}
	s.redirect(w, r, "/my", msg)
}
