package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/nta"
	"mieruka/internal/org"
)

// orgNew shows an empty organization form. With ?corporate_number= it is
// filled from the NTA's record of that corporation.
func (s *Server) orgNew(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	tax, err := s.Orgs.Taxonomy(r.Context(), q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	kind := org.Kind(r.URL.Query().Get("kind"))
	if !org.ValidKind(kind) {
		kind = org.KindCompany
	}
	var p org.Profile
	p.Address.Prefecture = "東京都"
	page := s.page(r, q, q.T("組織の新規登録", "New organization"), "organizations", nil)
	if cn := r.URL.Query().Get("corporate_number"); cn != "" {
		c, err := nta.Get(r.Context(), s.DB, cn)
		if err != nil {
			page.withError(err)
		} else {
			p = profileFromCorporation(c)
		}
	}
	f := newProfileForm(kind, p, tax)
	f.Action, f.New, f.Published = "/staff/organizations", true, false
	page.Data = f
	s.render(w, r, http.StatusOK, "org_form", page)
}

// profileFromCorporation fills a new profile from the NTA record.
func profileFromCorporation(c nta.Corporation) org.Profile {
	p := org.Profile{Name: c.Name, NameKana: c.Furigana, NameEN: c.EnName, CorporateNumber: c.CorporateNumber,
		PostalCode: c.PostalCode(),
		Address:    org.Address{Prefecture: c.PrefectureName, City: c.CityName, Town: c.StreetNumber, CityCode: c.LocalGovCode()}}
	return p
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	in := org.NewOrganization{
		Kind:       org.Kind(r.PostFormValue("kind")),
		ExternalID: strings.TrimSpace(r.PostFormValue("external_id")),
		Published:  r.PostFormValue("published") != "",
		Profile:    profileFromForm(r, org.Profile{}, true),
	}
	o, err := s.Orgs.Create(ctx, q.Actor, in)
	if err != nil {
		tax, terr := s.Orgs.Taxonomy(ctx, q.Actor.Municipality)
		if terr != nil {
			s.fail(w, r, q, terr)
			return
		}
		kind := in.Kind
		if !org.ValidKind(kind) {
			kind = org.KindCompany
		}
		f := newProfileForm(kind, in.Profile, tax)
		f.Action, f.New, f.Published, f.External = "/staff/organizations", true, in.Published, in.ExternalID
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "org_form", s.page(r, q, q.T("組織の新規登録", "New organization"), "organizations", f).withError(err))
		return
	}
	s.redirect(w, r, orgURL(o.ID), q.T("「"+o.Profile.Name+"」を登録しました", "Added "+o.Profile.Name))
}

func orgURL(id int64) string { return "/staff/organizations/" + itoa(id) }
