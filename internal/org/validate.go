package org

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mieruka/internal/errs"
	"mieruka/internal/jp"

	"golang.org/x/text/unicode/norm"
)

// Limits on profile fields: generous for real profiles, small enough that a
// pasted novel or a script's garbage is refused with a clear message.
const (
	maxName      = 200
	maxLine      = 300
	maxCatch     = 120
	maxLongText  = 5000
	maxListItems = 100
	maxContacts  = 10
)

// cleanLine trims a one-line value and drops control characters.
func cleanLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// cleanText keeps line breaks (as \n) and drops other control characters.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

var phoneRE = regexp.MustCompile(`^\+?[0-9()\- ]{6,20}$`)

// Normalize cleans a profile in place (widths, readings, codes, spacing) and
// checks every field, returning field errors in Japanese and English. Terms
// of controlled vocabularies are mapped to the taxonomy's spelling.
func (p *Profile) Normalize(tax *Taxonomy) error {
	var fe errs.Fields
	line := func(field string, s *string, max int) {
		*s = cleanLine(*s)
		if n := utf8.RuneCountInString(*s); n > max {
			fe.Add(field, fmt.Sprintf("%d文字以内で入力してください（現在%d文字）", max, n), fmt.Sprintf("Use at most %d characters (now %d)", max, n))
		}
	}
	text := func(field string, s *string, max int) {
		*s = cleanText(*s)
		if n := utf8.RuneCountInString(*s); n > max {
			fe.Add(field, fmt.Sprintf("%d文字以内で入力してください（現在%d文字）", max, n), fmt.Sprintf("Use at most %d characters (now %d)", max, n))
		}
	}

	line("name", &p.Name, maxName)
	if p.Name == "" {
		fe.Add("name", "名称を入力してください", "Enter the name")
	}
	p.NameKana = jp.NormalizeReading(p.NameKana)
	if p.NameKana != "" && !jp.IsKatakanaReading(p.NameKana) {
		fe.Add("name_kana", "フリガナはカタカナで入力してください", "Write the reading in katakana")
	}
	line("name_kana", &p.NameKana, maxName)
	line("name_en", &p.NameEN, maxName)

	p.CorporateNumber = jp.NormalizeCorporateNumber(p.CorporateNumber)
	if p.CorporateNumber != "" {
		fe.AddErr("corporate_number", jp.ValidateCorporateNumber(p.CorporateNumber))
	}
	p.JSICCode = strings.TrimSpace(norm.NFKC.String(p.JSICCode))
	if p.JSICCode != "" {
		fe.AddErr("jsic_code", jp.ValidateJSIC(p.JSICCode))
	}
	if p.PostalCode = strings.TrimSpace(p.PostalCode); p.PostalCode != "" {
		pc, err := jp.NormalizePostalCode(p.PostalCode)
		if err != nil {
			fe.AddErr("postal_code", err)
		} else {
			p.PostalCode = pc
		}
	}
	line("address.prefecture", &p.Address.Prefecture, 10)
	line("address.city", &p.Address.City, 40)
	line("address.town", &p.Address.Town, maxLine)
	line("address.building", &p.Address.Building, maxLine)
	if p.Address.CityCode = strings.TrimSpace(p.Address.CityCode); p.Address.CityCode != "" {
		fe.AddErr("address.city_code", jp.ValidateLocalGovCode(p.Address.CityCode))
	} else if code, ok := jp.MunicipalityCodeByName(p.Address.City); ok && (p.Address.Prefecture == "" || p.Address.Prefecture == "東京都") {
		p.Address.CityCode = code
	}
	if p.URL = strings.TrimSpace(p.URL); p.URL != "" {
		u, err := url.Parse(p.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe.Add("url", "URLは http:// または https:// で始まる形で入力してください", "Enter a URL starting with http:// or https://")
		}
	}
	line("representative", &p.Representative, maxLine)

	thisYear := time.Now().Year()
	if p.FoundedYear != 0 && (p.FoundedYear < 1600 || p.FoundedYear > thisYear) {
		fe.Add("founded_year", fmt.Sprintf("設立年は1600年から%d年の間で入力してください", thisYear), fmt.Sprintf("The founding year must be between 1600 and %d", thisYear))
	}
	if p.Employees < 0 || p.Employees > 1_000_000 {
		fe.Add("employees", "従業員数は0から1,000,000の間で入力してください", "Employees must be between 0 and 1,000,000")
	}
	if p.CapitalYen < 0 || p.CapitalYen > 10_000_000_000_000 {
		fe.Add("capital_yen", "資本金は0円から10兆円の間で入力してください", "Capital must be between 0 and 10 trillion yen")
	}

	if len(p.Contacts) > maxContacts {
		fe.Add("contacts", fmt.Sprintf("連絡先は%d件までです", maxContacts), fmt.Sprintf("At most %d contacts", maxContacts))
	}
	kept := p.Contacts[:0]
	for i, c := range p.Contacts {
		f := fmt.Sprintf("contacts[%d].", i)
		line(f+"department", &c.Department, maxLine)
		line(f+"person", &c.Person, maxLine)
		c.Phone = cleanLine(norm.NFKC.String(c.Phone))
		if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
			fe.Add(f+"phone", "電話番号は数字とハイフンで入力してください（例: 042-585-1111）", "Write the phone number with digits and hyphens (e.g. 042-585-1111)")
		}
		c.Fax = cleanLine(norm.NFKC.String(c.Fax))
		if c.Fax != "" && !phoneRE.MatchString(c.Fax) {
			fe.Add(f+"fax", "FAX番号は数字とハイフンで入力してください", "Write the fax number with digits and hyphens")
		}
		c.Email = strings.ToLower(cleanLine(norm.NFKC.String(c.Email)))
		if c.Email != "" {
			if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
				fe.Add(f+"email", "メールアドレスの形式が正しくありません", "The e-mail address is not valid")
			}
		}
		if c != (Contact{}) {
			kept = append(kept, c)
		}
	}
	p.Contacts = kept

	terms := func(field string, f Facet, list *[]string) {
		out := (*list)[:0]
		seen := map[string]bool{}
		for _, v := range *list {
			v = cleanLine(v)
			if v == "" {
				continue
			}
			if tax != nil {
				if c, ok := tax.Canonical(f, v); ok {
					v = c
				} else if f.Controlled() {
					fe.Add(field, fmt.Sprintf("「%s」は%sの分類にありません", v, FacetLabel(f, "ja")), fmt.Sprintf("%q is not in the %s vocabulary", v, strings.ToLower(FacetLabel(f, "en"))))
					continue
				}
			}
			if utf8.RuneCountInString(v) > 60 {
				fe.Add(field, "用語は60文字以内にしてください", "Each term must be at most 60 characters")
				continue
			}
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		if len(out) > maxListItems {
			fe.Add(field, fmt.Sprintf("%d件までです", maxListItems), fmt.Sprintf("At most %d items", maxListItems))
		}
		*list = out
	}
	terms("processes", FacetProcess, &p.Processes)
	terms("specialties", FacetSpecialty, &p.Specialties)
	terms("materials", FacetMaterial, &p.Materials)
	terms("certifications", FacetCertification, &p.Certifications)
	terms("lot", FacetLot, &p.Lot)
	terms("markets", FacetMarket, &p.Markets)
	terms("research_topics", FacetResearchTopic, &p.ResearchTopics)
	terms("collaboration", FacetCollaboration, &p.Collaboration)
	freeList := func(field string, list *[]string) {
		out := (*list)[:0]
		for _, v := range *list {
			if v = cleanLine(v); v != "" {
				out = append(out, v)
			}
		}
		if len(out) > maxListItems {
			fe.Add(field, fmt.Sprintf("%d件までです", maxListItems), fmt.Sprintf("At most %d items", maxListItems))
		}
		*list = out
	}
	freeList("keywords", &p.Keywords)
	line("max_workpiece_size", &p.MaxWorkpieceSize, maxLine)

	eq := p.Equipment[:0]
	for i, e := range p.Equipment {
		f := fmt.Sprintf("equipment[%d].", i)
		line(f+"name", &e.Name, maxLine)
		line(f+"spec", &e.Spec, maxLine)
		if e.Count < 0 || e.Count > 10000 {
			fe.Add(f+"count", "台数は0から10,000の間で入力してください", "The count must be between 0 and 10,000")
		}
		if e.Name == "" && e.Spec != "" {
			fe.Add(f+"name", "設備名を入力してください", "Enter the equipment's name")
		}
		if e.Name != "" {
			eq = append(eq, e)
		}
	}
	p.Equipment = eq
	if len(p.Equipment) > maxListItems {
		fe.Add("equipment", fmt.Sprintf("設備は%d件までです", maxListItems), fmt.Sprintf("At most %d machines", maxListItems))
	}
	pr := p.Products[:0]
	for i, x := range p.Products {
		f := fmt.Sprintf("products[%d].", i)
		line(f+"name", &x.Name, maxLine)
		text(f+"description", &x.Description, 1000)
		if x.Name == "" && x.Description != "" {
			fe.Add(f+"name", "製品名を入力してください", "Enter the product's name")
		}
		if x.Name != "" {
			pr = append(pr, x)
		}
	}
	p.Products = pr
	if len(p.Products) > maxListItems {
		fe.Add("products", fmt.Sprintf("製品は%d件までです", maxListItems), fmt.Sprintf("At most %d products", maxListItems))
	}

	line("catch_phrase", &p.CatchPhrase, maxCatch)
	text("pr_text", &p.PRText, maxLongText)
	text("strengths", &p.Strengths, maxLongText)
	line("university", &p.University, maxLine)
	line("faculty", &p.Faculty, maxLine)
	line("department", &p.Department, maxLine)
	line("lab", &p.Lab, maxLine)
	line("head", &p.Head, maxLine)
	p.HeadKana = jp.NormalizeReading(p.HeadKana)
	if p.HeadKana != "" && !jp.IsKatakanaReading(p.HeadKana) {
		fe.Add("head_kana", "フリガナはカタカナで入力してください", "Write the reading in katakana")
	}
	text("seeds_text", &p.SeedsText, maxLongText)
	text("notes", &p.Notes, maxLongText*2)

	for g, v := range p.Visibility {
		known := false
		for _, fg := range FieldGroups {
			known = known || fg.Group == g
		}
		if !known {
			fe.Add("visibility", fmt.Sprintf("公開範囲の項目「%s」は変更できません", g), fmt.Sprintf("The visibility of %q cannot be set", g))
		} else if v != Public && v != Partners && v != Staff {
			fe.Add("visibility."+string(g), "公開範囲は public, partners, staff のいずれかです", "Visibility is one of public, partners, staff")
		}
	}
	return fe.Err()
}
