package visit_test

import (
	"context"
	"testing"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

const (
	hino     = "132128"
	hachioji = "132012"
)

// fixture is a database with two municipalities, their people and
// organizations, and the visit service on it.
type fixture struct {
	db    *store.DB
	auth  *auth.Service
	munis *municipality.Service
	orgs  *org.Service
	v     *visit.Service
	now   time.Time

	coord, coord2, staff, bank, member, hachiStaff    auth.Actor
	companyA, companyB, agency, bankOrg, hachiCompany int64
}

// fixedNow is a Tuesday morning in Japan, inside 令和7年度.
var fixedNow = time.Date(2025, 6, 3, 9, 30, 0, 0, jp.JST)

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, now: fixedNow}
	var err error
	if f.auth, err = auth.NewService(ctx, db); err != nil {
		t.Fatal(err)
	}
	f.munis = municipality.NewService(db, f.auth)
	if f.orgs, err = org.NewService(ctx, db, f.auth); err != nil {
		t.Fatal(err)
	}
	if f.v, err = visit.NewService(ctx, db, f.auth, f.orgs, f.munis); err != nil {
		t.Fatal(err)
	}
	f.v.Now = func() time.Time { return f.now }
	f.v.BaseURL = "https://mieruka.example.jp"
	for _, code := range []string{hino, hachioji} {
		m := municipality.Municipality{Code: code}
		if code == hino {
			m.Settings.StaffInbox = "sangyo@city.hino.example"
		}
		if _, err := f.munis.Create(ctx, auth.System("test", code), m); err != nil {
			t.Fatal(err)
		}
		if err := f.orgs.SeedTaxonomy(ctx, auth.System("test", code), code); err != nil {
			t.Fatal(err)
		}
	}
	sys := auth.System("test", hino)
	mk := func(a auth.Actor, kind org.Kind, name string, specialties ...string) int64 {
		o, err := f.orgs.Create(ctx, a, org.NewOrganization{Kind: kind, Published: true, Profile: org.Profile{Name: name,
			Address: org.Address{Prefecture: "東京都", City: "日野市", Town: "旭が丘3-1-1"}, Specialties: specialties}})
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f.companyA = mk(sys, org.KindCompany, "株式会社日野精工")
	f.companyB = mk(sys, org.KindCompany, "有限会社多摩プレス")
	f.agency = mk(sys, org.KindAgency, "東京都事業承継・引継ぎ支援センター", "事業承継", "M&A")
	f.bankOrg = mk(sys, org.KindBank, "多摩みらい信用金庫 日野支店", "融資", "事業承継")
	f.hachiCompany = mk(auth.System("test", hachioji), org.KindCompany, "八王子金属株式会社")
	user := func(muni, email, name string, role auth.Role, orgID int64) auth.Actor {
		u, _, err := f.auth.CreateUser(ctx, auth.System("test", muni), auth.NewUser{Email: email, Name: name, Role: role, Municipality: muni, OrganizationID: orgID, Password: "correct horse battery"})
		if err != nil {
			t.Fatalf("user %s: %v", email, err)
		}
		return u.Actor("127.0.0.1")
	}
	f.coord = user(hino, "yamada@city.hino.example", "山田 太郎", auth.RoleCoordinator, 0)
	f.coord2 = user(hino, "suzuki@city.hino.example", "鈴木 花子", auth.RoleCoordinator, 0)
	f.staff = user(hino, "staff@city.hino.example", "佐藤 一郎", auth.RoleStaff, 0)
	f.bank = user(hino, "tanaka@tamamirai.example", "田中 誠", auth.RoleBank, f.bankOrg)
	f.member = user(hino, "info@hinoseiko.example", "日野精工 担当", auth.RoleMember, f.companyA)
	f.hachiStaff = user(hachioji, "staff@city.hachioji.example", "八王子 職員", auth.RoleStaff, 0)
	return f
}

func fields(err error) map[string]errs.FieldError {
	out := map[string]errs.FieldError{}
	for _, fe := range errs.As(err).Fields {
		out[fe.Field] = fe
	}
	return out
}

// visitIn is a plausible visit of company A by the coordinator and the bank.
func (f *fixture) visitIn(at time.Time) visit.VisitInput {
	return visit.VisitInput{
		OrganizationID: f.companyA, StartsAt: at, Minutes: 90,
		Purpose:          "事業承継の意向確認",
		Capabilities:     []visit.Capability{visit.CapManagement, visit.CapPeople},
		Pillars:          []visit.Pillar{4},
		LifeStage:        visit.StageSuccession,
		Notes:            "社長は70歳。長男は別会社に勤務しており、後継者は未定。M&Aも選択肢として検討したいとのこと。",
		AttendeeIDs:      []int64{f.coord.UserID, f.bank.UserID},
		CompanyAttendees: []string{"代表取締役 日野 一郎"},
	}
}
