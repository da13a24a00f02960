package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"mieruka/internal/org"
)

// fieldChange is one field that differs between two versions of a profile.
type fieldChange struct {
	JA, EN        string
	Before, After string
}

// Label is the field's name in lang.
func (c fieldChange) Label(lang string) string {
	if lang == "en" {
		return c.EN
	}
	return c.JA
}

type profileField struct {
	ja, en string
	value  func(p *org.Profile) string
}

func list(l []string) string { return strings.Join(l, "、") }

func itoaZ(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

var profileFields = []profileField{
	{"名称", "Name", func(p *org.Profile) string { return p.Name }},
	{"フリガナ", "Reading", func(p *org.Profile) string { return p.NameKana }},
	{"英語名", "English name", func(p *org.Profile) string { return p.NameEN }},
	{"法人番号", "Corporate number", func(p *org.Profile) string { return p.CorporateNumber }},
	{"日本標準産業分類", "JSIC", func(p *org.Profile) string { return p.JSICCode }},
	{"郵便番号", "Postal code", func(p *org.Profile) string { return p.PostalCode }},
	{"所在地", "Address", func(p *org.Profile) string { return p.Address.Line() }},
	{"ウェブサイト", "Website", func(p *org.Profile) string { return p.URL }},
	{"代表者", "Representative", func(p *org.Profile) string { return p.Representative }},
	{"設立年", "Founded", func(p *org.Profile) string { return itoaZ(int64(p.FoundedYear)) }},
	{"従業員数", "Employees", func(p *org.Profile) string { return itoaZ(int64(p.Employees)) }},
	{"資本金（円）", "Capital (yen)", func(p *org.Profile) string { return itoaZ(p.CapitalYen) }},
	{"連絡先", "Contacts", func(p *org.Profile) string {
		var out []string
		for _, c := range p.Contacts {
			out = append(out, strings.TrimSpace(strings.Join([]string{c.Department, c.Person, c.Phone, c.Fax, c.Email}, " ")))
		}
		return strings.Join(out, "\n")
	}},
	{"加工技術", "Processes", func(p *org.Profile) string { return list(p.Processes) }},
	{"得意技術", "Specialties", func(p *org.Profile) string { return list(p.Specialties) }},
	{"材料", "Materials", func(p *org.Profile) string { return list(p.Materials) }},
	{"認証", "Certifications", func(p *org.Profile) string { return list(p.Certifications) }},
	{"ロット", "Lot", func(p *org.Profile) string { return list(p.Lot) }},
	{"主な市場", "Markets", func(p *org.Profile) string { return list(p.Markets) }},
	{"最大加工サイズ", "Largest workpiece", func(p *org.Profile) string { return p.MaxWorkpieceSize }},
	{"設備", "Equipment", func(p *org.Profile) string {
		var out []string
		for _, e := range p.Equipment {
			s := e.Name
			if e.Count > 0 {
				s += fmt.Sprintf(" ×%d", e.Count)
			}
			if e.Spec != "" {
				s += "（" + e.Spec + "）"
			}
			if e.Shareable {
				s += " ［学外利用可］"
			}
			out = append(out, s)
		}
		return strings.Join(out, "\n")
	}},
	{"製品", "Products", func(p *org.Profile) string {
		var out []string
		for _, x := range p.Products {
			s := x.Name
			if x.Description != "" {
				s += "：" + x.Description
			}
			out = append(out, s)
		}
		return strings.Join(out, "\n")
	}},
	{"キャッチフレーズ", "Catch phrase", func(p *org.Profile) string { return p.CatchPhrase }},
	{"PR文", "PR text", func(p *org.Profile) string { return p.PRText }},
	{"専門家による強みの分析", "Expert's assessment", func(p *org.Profile) string { return p.Strengths }},
	{"大学・機関", "University", func(p *org.Profile) string {
		return strings.TrimSpace(p.University + " " + p.Faculty + " " + p.Department)
	}},
	{"研究室", "Laboratory", func(p *org.Profile) string { return p.Lab }},
	{"研究室の代表者", "Head", func(p *org.Profile) string { return strings.TrimSpace(p.Head + " " + p.HeadKana) }},
	{"研究分野", "Research fields", func(p *org.Profile) string { return list(p.ResearchTopics) }},
	{"キーワード", "Keywords", func(p *org.Profile) string { return list(p.Keywords) }},
	{"研究シーズ", "Research seeds", func(p *org.Profile) string { return p.SeedsText }},
	{"連携形態", "Collaboration", func(p *org.Profile) string { return list(p.Collaboration) }},
	{"公開範囲", "Visibility", func(p *org.Profile) string {
		var out []string
		for _, g := range org.FieldGroups {
			out = append(out, string(g.Group)+"="+string(p.VisibilityOf(g.Group)))
		}
		return strings.Join(out, " ")
	}},
	{"内部メモ", "Internal notes", func(p *org.Profile) string { return p.Notes }},
}

// diffProfiles lists the fields that differ between a and b.
func diffProfiles(a, b org.Profile) []fieldChange {
	var out []fieldChange
	for _, f := range profileFields {
		x, y := f.value(&a), f.value(&b)
		if x != y {
			out = append(out, fieldChange{JA: f.ja, EN: f.en, Before: x, After: y})
		}
	}
	return out
}

// diffAudit compares the before/after JSON of a history entry. Organization
// entries carry {"profile": …} beside state fields such as status.
func diffAudit(before, after json.RawMessage) []fieldChange {
	type snap struct {
		Profile   *org.Profile `json:"profile"`
		Draft     *org.Profile `json:"draft"`
		Status    string       `json:"status"`
		Published *bool        `json:"published"`
		Reason    string       `json:"reason"`
		Note      string       `json:"note"`
	}
	var a, b snap
	json.Unmarshal(before, &a)
	json.Unmarshal(after, &b)
	var out []fieldChange
	if b.Draft != nil {
		base := org.Profile{}
		if a.Profile != nil {
			base = *a.Profile
		}
		return diffProfiles(base, *b.Draft)
	}
	switch {
	case a.Profile != nil && b.Profile != nil:
		out = diffProfiles(*a.Profile, *b.Profile)
	case b.Profile != nil:
		out = diffProfiles(org.Profile{}, *b.Profile)
	}
	pub := func(p *bool) string {
		if p == nil {
			return ""
		}
		if *p {
			return "公開"
		}
		return "非公開"
	}
	if pa, pb := pub(a.Published), pub(b.Published); pa != pb && pb != "" && a.Profile == nil {
		out = append(out, fieldChange{JA: "公開", EN: "Published", Before: pa, After: pb})
	}
	if a.Status != b.Status && b.Status != "" && a.Profile == nil {
		out = append(out, fieldChange{JA: "状態", EN: "Status", Before: a.Status, After: strings.TrimSpace(b.Status + " " + b.Reason)})
	}
	if b.Note != "" {
		out = append(out, fieldChange{JA: "差し戻しの理由", EN: "Reason sent back", After: b.Note})
	}
	return out
}
