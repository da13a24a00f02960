package web

import (
	"net/http"
	"strconv"

	"mieruka/internal/directory"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/inquiry"
	"mieruka/internal/org"
)

type publicOrgData struct {
	E       *directory.Entry
	Similar []*directory.Entry
	Form    inquiry.Form
}

// publicOrgShow is a company's or lab's page in the public directory: what
// it published, its PR report, similar organizations and an inquiry form.
func (s *Server) publicOrgShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.cached(w, r, q, sn.Version(), func() (int, string, *Page, error) {
		p, err := s.publicOrgPage(r, q, inquiry.Form{}, nil)
		return http.StatusOK, "public_org", p, err
	})
}

func (s *Server) publicEntry(r *http.Request, q *httpx.Req) (*directory.Snapshot, *directory.Entry, error) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, nil, errNotFoundPage
	}
	e, ok := sn.Get(id)
	if !ok || e.Kind != kindOfPath(r) {
		return nil, nil, errNotFoundPage
	}
	return sn, e, nil
}

func (s *Server) renderPublicOrg(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, form inquiry.Form, ferr error) {
	p, err := s.publicOrgPage(r, q, form, ferr)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.render(w, r, status, "public_org", p)
}

func (s *Server) publicOrgPage(r *http.Request, q *httpx.Req, form inquiry.Form, ferr error) (*Page, error) {
	sn, e, err := s.publicEntry(r, q)
	if err != nil {
		return nil, err
	}
	d := publicOrgData{E: e, Similar: s.similar(sn, e, 6), Form: form}
	p := s.publicPage(r, q, e.Profile.DisplayName(q.Lang), "", d).withError(ferr)
	pp := &e.Profile
	desc := pp.CatchPhrase
	if desc == "" {
		desc = pp.PRText
	}
	if desc == "" {
		desc = pp.SeedsText
	}
	p.Public.Description = trimForMeta(desc, 120)
	p.Public.Type = "profile"
	if pp.Logo != "" {
		p.Public.Image = s.BaseURL + sitePath(p, "/images/"+pp.Logo)
	}
	p.Public.JSONLD = organizationLD(s.BaseURL+sitePath(p, orgPath(string(e.Kind), strconv.FormatInt(e.ID, 10))), p.Public.Image, e.Organization)
	return p, nil
}

// similar finds, with the matching engine, the organizations of the
// snapshot most like e.
func (s *Server) similar(sn *directory.Snapshot, e *directory.Entry, n int) []*directory.Entry {
	hits, _ := s.Search.Engine.Similar(e.ID, n)
	var out []*directory.Entry
	for _, h := range hits {
		if x, ok := sn.Get(h.ID); ok {
			out = append(out, x)
		}
	}
	return out
}

// organizationLD is the schema.org Organization of a published profile,
// with the 法人番号 as its identifier.
func organizationLD(url, image string, o org.Organization) map[string]any {
	p := o.Profile
	ld := map[string]any{"@context": "https://schema.org", "@type": "Organization", "name": p.Name, "url": url}
	if o.Kind == org.KindLab {
		ld["@type"] = "ResearchOrganization"
	}
	if p.NameEN != "" {
		ld["alternateName"] = p.NameEN
	}
	if p.CorporateNumber != "" {
		ld["identifier"] = map[string]any{"@type": "PropertyValue", "propertyID": "法人番号 (Japan corporate number)", "value": p.CorporateNumber}
	}
	addr := map[string]any{"@type": "PostalAddress", "addressCountry": "JP"}
	if p.PostalCode != "" {
		addr["postalCode"] = p.PostalCode
	}
	if p.Address.Prefecture != "" {
		addr["addressRegion"] = p.Address.Prefecture
	}
	if p.Address.City != "" {
		addr["addressLocality"] = p.Address.City
	}
	if st := p.Address.Town + spacedIf(p.Address.Building); st != "" {
		addr["streetAddress"] = st
	}
	ld["address"] = addr
	if p.FoundedYear != 0 {
		ld["foundingDate"] = strconv.Itoa(p.FoundedYear)
	}
	if p.Employees != 0 {
		ld["numberOfEmployees"] = map[string]any{"@type": "QuantitativeValue", "value": p.Employees}
	}
	if image != "" {
		ld["logo"] = image
	}
	if p.URL != "" {
		ld["sameAs"] = p.URL
	}
	desc := p.PRText
	if desc == "" {
		desc = p.SeedsText
	}
	if desc != "" {
		ld["description"] = trimForMeta(desc, 300)
	}
	var knows []string
	knows = append(append(append(knows, p.Processes...), p.Specialties...), p.ResearchTopics...)
	if len(knows) > 0 {
		ld["knowsAbout"] = knows
	}
	return ld
}

func spacedIf(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// inquirySubmit takes an inquiry from the form on an organization's page.
func (s *Server) inquirySubmit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	_, e, err := s.publicEntry(r, q)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	f := inquiry.Form{Name: r.PostFormValue("name"), Company: r.PostFormValue("company"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		Subject: r.PostFormValue("subject"), Body: r.PostFormValue("body"), Website: r.PostFormValue("website"), Lang: q.Lang}
	_, err = s.Inquiries.Send(r.Context(), q.Site.Code, e.ID, f, q.Actor.IP)
	if err != nil && err != inquiry.ErrSpam {
		s.renderPublicOrg(w, r, q, httpx.Status(errs.CodeOf(err)), f, err)
		return
	}
	http.Redirect(w, r, r.URL.Path+"/sent", http.StatusSeeOther)
}

func (s *Server) inquirySent(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	_, e, err := s.publicEntry(r, q)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	p := s.publicPage(r, q, q.T("お問い合わせを受け付けました", "Your inquiry has been sent"), "", e)
	p.Public.NoIndex = true
	s.render(w, r, http.StatusOK, "public_inquiry_sent", p)
}
