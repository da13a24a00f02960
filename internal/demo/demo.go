// Package demo fills an empty database with a living demo city: 日野市 with
// the Tama-area companies and university labs of the matching corpus
// (fictional, see data/README.md), 八王子市 with a handful of records of its
// own so that tenant isolation can be seen, and one account per role.
package demo

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

//go:embed data/companies.jsonl data/labs.jsonl
var data embed.FS

// Municipality codes of the demo.
const (
	Hino      = "132128" // 日野市: the default municipality, all demo companies and labs
	Hachioji  = "132012" // 八王子市: a few records of its own
	MailHost  = "demo.invalid"
	FirstOrg  = "C0001" // the demo member belongs to it
	hachiPref = "HC"
)

type company struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	NameKana         string   `json:"name_kana"`
	CorporateNumber  string   `json:"corporate_number"`
	PostalCode       string   `json:"postal_code"`
	Address          string   `json:"address"`
	City             string   `json:"city"`
	JSICCode         string   `json:"jsic_code"`
	Employees        int      `json:"employees"`
	CapitalYen       int64    `json:"capital_yen"`
	FoundedYear      int      `json:"founded_year"`
	Processes        []string `json:"processes"`
	Specialties      []string `json:"specialties"`
	Materials        []string `json:"materials"`
	MaxWorkpieceSize string   `json:"max_workpiece_size"`
	Lot              []string `json:"lot"`
	Certifications   []string `json:"certifications"`
	Equipment        []string `json:"equipment"`
	Products         []string `json:"products"`
	Markets          []string `json:"markets"`
	PRText           string   `json:"pr_text"`
}

type lab struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	University     string   `json:"university"`
	Faculty        string   `json:"faculty"`
	Department     string   `json:"department"`
	Lab            string   `json:"lab"`
	Head           string   `json:"head"`
	HeadKana       string   `json:"head_kana"`
	City           string   `json:"city"`
	PostalCode     string   `json:"postal_code"`
	Address        string   `json:"address"`
	ResearchTopics []string `json:"research_topics"`
	Keywords       []string `json:"keywords"`
	SeedsText      string   `json:"seeds_text"`
	Equipment      []string `json:"equipment"`
	Collaboration  []string `json:"collaboration"`
}

func readJSONL[T any](name string) ([]T, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

func address(full string) org.Address {
	pref, city, rest := jp.SplitAddress(full)
	return org.Address{Prefecture: pref, City: city, Town: rest}
}

func equipment(names []string) []org.Equipment {
	var out []org.Equipment
	for _, n := range names {
		out = append(out, org.Equipment{Name: n})
	}
	return out
}

// Organizations returns the demo companies and labs as new organizations,
// with their demo ids as external ids.
func Organizations() ([]org.NewOrganization, error) {
	cs, err := readJSONL[company]("data/companies.jsonl")
	if err != nil {
		return nil, err
	}
	ls, err := readJSONL[lab]("data/labs.jsonl")
	if err != nil {
		return nil, err
	}
	var out []org.NewOrganization
	for _, c := range cs {
		var products []org.Product
		for _, p := range c.Products {
			products = append(products, org.Product{Name: p})
		}
		out = append(out, org.NewOrganization{Kind: org.KindCompany, ExternalID: c.ID, Published: true, Profile: org.Profile{
			Name: c.Name, NameKana: c.NameKana, CorporateNumber: c.CorporateNumber, JSICCode: c.JSICCode,
			PostalCode: c.PostalCode, Address: address(c.Address),
			FoundedYear: c.FoundedYear, Employees: c.Employees, CapitalYen: c.CapitalYen,
			Contacts:  []org.Contact{{Department: "営業部", Email: "info@" + strings.ToLower(c.ID) + "." + MailHost}},
			Processes: c.Processes, Specialties: c.Specialties, Materials: c.Materials, Certifications: c.Certifications,
			Lot: c.Lot, Markets: c.Markets, MaxWorkpieceSize: c.MaxWorkpieceSize, Equipment: equipment(c.Equipment), Products: products,
			PRText: c.PRText,
		}})
	}
	for _, l := range ls {
		eq := equipment(l.Equipment)
		for i := range eq {
			eq[i].Shareable = contains(l.Collaboration, "設備利用")
		}
		out = append(out, org.NewOrganization{Kind: org.KindLab, ExternalID: l.ID, Published: true, Profile: org.Profile{
			Name: l.Name, PostalCode: l.PostalCode, Address: address(l.Address),
			University: l.University, Faculty: l.Faculty, Department: l.Department, Lab: l.Lab,
			Head: l.Head, HeadKana: l.HeadKana,
			Contacts:       []org.Contact{{Person: l.Head, Email: "lab@" + strings.ToLower(l.ID) + "." + MailHost}},
			ResearchTopics: l.ResearchTopics, Keywords: l.Keywords, SeedsText: l.SeedsText, Collaboration: l.Collaboration,
			Equipment: eq,
		}})
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Account is a demo sign-in.
type Account struct {
	Email        string
	Role         auth.Role
	Municipality string
	Password     string
}

// Services are what seeding needs.
type Services struct {
	Auth          *auth.Service
	Municipality  *municipality.Service
	Organizations *org.Service
	Visits        *visit.Service // optional: the coordinators' visits and consultations
	DB            *store.DB      // optional: the reference table of corporations
}

// Seed fills an empty database. It is a no-op for the parts that exist.
func Seed(ctx context.Context, s Services) error {
	for _, m := range []municipality.Municipality{
		{Code: Hino, Name: "日野市", NameEN: "Hino City", Prefecture: "東京都"},
		{Code: Hachioji, Name: "八王子市", NameEN: "Hachioji City", Prefecture: "東京都"},
	} {
		if s.Municipality.Exists(ctx, m.Code) {
			continue
		}
		if _, err := s.Municipality.Create(ctx, auth.System("demo", m.Code), m); err != nil {
			return err
		}
		if err := s.Organizations.SeedTaxonomy(ctx, auth.System("demo", m.Code), m.Code); err != nil {
			return err
		}
	}
	orgs, err := Organizations()
	if err != nil {
		return err
	}
	hino := auth.System("demo", Hino)
	hachi := auth.System("demo", Hachioji)
	nHachi, nFeatured := 0, 0
	for _, n := range orgs {
		if _, err := s.Organizations.GetByExternalID(ctx, hino, n.ExternalID); err == nil {
			continue
		}
		o, err := s.Organizations.Create(ctx, hino, n)
		if err != nil {
			return fmt.Errorf("demo organization %s: %w", n.ExternalID, err)
		}
		// Staff have chosen three local companies for the home page.
		if n.Kind == org.KindCompany && n.Profile.Address.City == "日野市" && nFeatured < 3 {
			nFeatured++
			if _, err := s.Organizations.SetFeatured(ctx, hino, o.ID, o.Version, true); err != nil {
				return fmt.Errorf("demo organization %s: %w", n.ExternalID, err)
			}
		}
		// 八王子市 keeps its own records of five firms located there.
		if n.Kind == org.KindCompany && n.Profile.Address.City == "八王子市" && nHachi < 5 {
			nHachi++
			h := n
			h.ExternalID = hachiPref + strings.TrimPrefix(n.ExternalID, "C")
			h.Profile.Notes = "八王子市の登録情報"
			if _, err := s.Organizations.Create(ctx, hachi, h); err != nil && !errs.Is(err, errs.Invalid) {
				return err
			}
		}
	}
	if s.DB != nil {
		if err := seedCorporations(ctx, s.DB, orgs); err != nil {
			return err
		}
	}
	return SeedVisits(ctx, s, time.Now())
}

// Accounts creates (or resets the passwords of) one account per role and
// returns them with fresh passwords: a demo prints them at every start.
func Accounts(ctx context.Context, s Services) ([]Account, error) {
	first, err := s.Organizations.GetByExternalID(ctx, auth.System("demo", Hino), FirstOrg)
	if err != nil {
		return nil, fmt.Errorf("demo member's organization: %w", err)
	}
	want := []struct {
		email, muni string
		role        auth.Role
		org         int64
	}{
		{"admin@" + MailHost, Hino, auth.RoleAdmin, 0},
		{"staff@" + MailHost, Hino, auth.RoleStaff, 0},
		{"coordinator@" + MailHost, Hino, auth.RoleCoordinator, 0},
		{"member@" + MailHost, Hino, auth.RoleMember, first.ID},
		{"bank@" + MailHost, Hino, auth.RoleBank, bankOrgID(ctx, s)},
		{"staff@hachioji." + MailHost, Hachioji, auth.RoleStaff, 0},
	}
	var out []Account
	for _, w := range want {
		sys := auth.System("demo", w.muni)
		pw := auth.GeneratePassword()
		u, err := s.Auth.UserByEmail(ctx, w.email)
		if errs.Is(err, errs.NotFound) {
			if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Email: w.email, Role: w.role, Municipality: w.muni, OrganizationID: w.org, Password: pw, Name: demoName(w.role)}); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		} else if _, err := s.Auth.ResetPassword(ctx, sys, u.ID, pw); err != nil {
			return nil, err
		} else if err := s.Auth.ClearPasswordChange(ctx, u.ID); err != nil {
			return nil, err
		}
		out = append(out, Account{Email: w.email, Role: w.role, Municipality: w.muni, Password: pw})
	}
	return out, nil
}

func demoName(r auth.Role) string {
	return map[auth.Role]string{auth.RoleAdmin: "管理者（デモ）", auth.RoleStaff: "産業振興課 職員（デモ）", auth.RoleCoordinator: "コーディネーター（デモ）", auth.RoleMember: "企業担当者（デモ）", auth.RoleBank: "金融機関の担当者（デモ）"}[r]
}
