package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"mieruka/internal/org"
)

// formRows is how many empty rows the equipment, product and contact editors
// offer beyond the filled ones: pages work without JavaScript, so a form
// grows by saving it.
const formRows = 3

// profileForm is what the organization form template needs.
type profileForm struct {
	Action    string
	New       bool
	Member    bool // a member editing their own draft
	Kind      org.Kind
	Org       org.Organization
	P         org.Profile
	Version   int
	Published bool
	External  string
	Tax       *org.Taxonomy
	Kinds     []org.Kind
	Groups    []org.FieldGroup
	Levels    []org.Visibility
	Facets    []org.Facet
	Conflict  *org.Organization // the version someone else saved first
	Equipment []org.Equipment
	Products  []org.Product
	Contacts  []org.Contact
}

func newProfileForm(kind org.Kind, p org.Profile, tax *org.Taxonomy) *profileForm {
	f := &profileForm{Kind: kind, P: p, Tax: tax, Kinds: org.Kinds,
		Levels: []org.Visibility{org.Public, org.Partners, org.Staff}}
	for _, g := range org.FieldGroups {
		f.Groups = append(f.Groups, g.Group)
	}
	f.Equipment = append(append([]org.Equipment{}, p.Equipment...), make([]org.Equipment, formRows)...)
	f.Products = append(append([]org.Product{}, p.Products...), make([]org.Product, formRows)...)
	f.Contacts = append(append([]org.Contact{}, p.Contacts...), make([]org.Contact, max(1, 2-len(p.Contacts)))...)
	return f
}

// Terms lists a facet's terms for checkboxes.
func (f *profileForm) Terms(facet org.Facet) []org.Term {
	if f.Tax == nil {
		return nil
	}
	return f.Tax.Facets[facet]
}

// Vis is the visibility chosen for a field group.
func (f *profileForm) Vis(g org.FieldGroup) org.Visibility { return f.P.VisibilityOf(g) }

// IsLab, IsCompany decide which sections the form shows.
func (f *profileForm) IsLab() bool     { return f.Kind == org.KindLab }
func (f *profileForm) IsCompany() bool { return f.Kind == org.KindCompany }

// profileFromForm reads the organization form. Staff-only fields (strengths,
// notes) are read only when staff is true; otherwise base's values stay.
func profileFromForm(r *http.Request, base org.Profile, staff bool) org.Profile {
	v := func(k string) string { return r.PostFormValue(k) }
	num := func(k string) int {
		s := strings.ReplaceAll(strings.TrimSpace(toHalfWidthDigits(v(k))), ",", "")
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1 // out of range: the service says what is wrong
		}
		return n
	}
	lines := func(k string) []string {
		var out []string
		for _, l := range strings.Split(strings.ReplaceAll(v(k), "\r\n", "\n"), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	p := org.Profile{
		Name: v("name"), NameKana: v("name_kana"), NameEN: v("name_en"), CorporateNumber: v("corporate_number"),
		JSICCode: v("jsic_code"), PostalCode: v("postal_code"),
		Address: org.Address{Prefecture: v("address.prefecture"), City: v("address.city"), Town: v("address.town"), Building: v("address.building")},
		URL:     v("url"), Representative: v("representative"), Logo: base.Logo,
		FoundedYear: num("founded_year"), Employees: num("employees"),
		Processes: r.PostForm["processes"], Specialties: lines("specialties"), Materials: r.PostForm["materials"],
		Certifications: r.PostForm["certifications"], Lot: r.PostForm["lot"], Markets: lines("markets"),
		MaxWorkpieceSize: v("max_workpiece_size"), CatchPhrase: v("catch_phrase"), PRText: v("pr_text"),
		University: v("university"), Faculty: v("faculty"), Department: v("department"), Lab: v("lab"),
		Head: v("head"), HeadKana: v("head_kana"), ResearchTopics: r.PostForm["research_topics"], Keywords: lines("keywords"),
		SeedsText: v("seeds_text"), Collaboration: r.PostForm["collaboration"],
		Strengths: base.Strengths, Notes: base.Notes,
	}
	capital := strings.ReplaceAll(strings.TrimSpace(toHalfWidthDigits(v("capital_yen"))), ",", "")
	if capital != "" {
		n, err := strconv.ParseInt(capital, 10, 64)
		if err != nil {
			n = -1
		}
		p.CapitalYen = n
	}
	if staff {
		p.Strengths, p.Notes = v("strengths"), v("notes")
	}
	for i := 0; i < 200; i++ {
		pre := fmt.Sprintf("equipment[%d].", i)
		if _, ok := r.PostForm[pre+"name"]; !ok {
			break
		}
		e := org.Equipment{Name: v(pre + "name"), Spec: v(pre + "spec"), Shareable: v(pre+"shareable") != ""}
		if c := strings.TrimSpace(toHalfWidthDigits(v(pre + "count"))); c != "" {
			if n, err := strconv.Atoi(c); err == nil {
				e.Count = n
			} else {
				e.Count = -1
			}
		}
		p.Equipment = append(p.Equipment, e)
	}
	photos := map[string]string{}
	for _, x := range base.Products {
		photos[x.Name] = x.Photo
	}
	for i := 0; i < 200; i++ {
		pre := fmt.Sprintf("products[%d].", i)
		if _, ok := r.PostForm[pre+"name"]; !ok {
			break
		}
		x := org.Product{Name: v(pre + "name"), Description: v(pre + "description")}
		x.Photo = photos[strings.TrimSpace(x.Name)]
		p.Products = append(p.Products, x)
	}
	for i := 0; i < 20; i++ {
		pre := fmt.Sprintf("contacts[%d].", i)
		if _, ok := r.PostForm[pre+"email"]; !ok {
			break
		}
		p.Contacts = append(p.Contacts, org.Contact{Department: v(pre + "department"), Person: v(pre + "person"), Phone: v(pre + "phone"), Fax: v(pre + "fax"), Email: v(pre + "email")})
	}
	p.Visibility = map[org.FieldGroup]org.Visibility{}
	for _, g := range org.FieldGroups {
		if x := v("visibility." + string(g.Group)); x != "" {
			p.Visibility[g.Group] = org.Visibility(x)
		}
	}
	return p
}

// toHalfWidthDigits lets people type １２３ or 1,234 in number fields.
func toHalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '，':
			return ','
		case r == '－' || r == 'ー':
			return '-'
		}
		return r
	}, s)
}
