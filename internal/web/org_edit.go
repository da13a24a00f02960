package web

import (
	"net/http"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, ok := s.orgOfPath(w, r, q)
	if !ok {
		return
	}
	tax, err := s.Orgs.Taxonomy(r.Context(), q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	f := newProfileForm(o.Kind, o.Profile, tax)
	f.Action, f.Org, f.Version = orgURL(o.ID), o, o.Version
	s.render(w, r, http.StatusOK, "org_form", s.page(r, q, q.T("編集: ", "Edit: ")+o.Profile.Name, "organizations", f))
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	cur, err := s.Orgs.Get(ctx, q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	version := formInt(r, "version")
	p := profileFromForm(r, cur.Profile, true)
	o, err := s.Orgs.Update(ctx, q.Actor, id, version, p)
	if err != nil {
		tax, terr := s.Orgs.Taxonomy(ctx, q.Actor.Municipality)
		if terr != nil {
			s.fail(w, r, q, terr)
			return
		}
		// The form comes back with what this person typed, and for a
		// conflict with what the other person saved beside it.
		f := newProfileForm(cur.Kind, p, tax)
		f.Action, f.Org, f.Version = orgURL(id), cur, version
		if c, ok := errs.As(err).Current.(org.Organization); ok {
			f.Conflict = &c
			f.Version = c.Version
		}
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "org_form", s.page(r, q, q.T("編集: ", "Edit: ")+cur.Profile.Name, "organizations", f).withError(err))
		return
	}
	msg := q.T("保存しました", "Saved")
	if o.Version == cur.Version {
		msg = q.T("変更はありませんでした", "Nothing changed")
	}
	s.redirect(w, r, orgURL(id), msg)
}
