package org_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

type fixture struct {
	db    *store.DB
	auth  *auth.Service
	org   *org.Service
	hino  auth.Actor // staff of 日野市
	hachi auth.Actor // staff of 八王子市
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	as, err := auth.NewService(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ms := municipality.NewService(db, as)
	os, err := org.NewService(ctx, db, as)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"132128", "132012"} {
		if _, err := ms.Create(ctx, auth.System("test", code), municipality.Municipality{Code: code}); err != nil {
			t.Fatal(err)
		}
		if err := os.SeedTaxonomy(ctx, auth.System("test", code), code); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{db: db, auth: as, org: os}
	f.hino = f.user(t, "132128", "staff@hino.example", auth.RoleStaff, 0)
	f.hachi = f.user(t, "132012", "staff@hachioji.example", auth.RoleStaff, 0)
	return f
}

func (f *fixture) user(t *testing.T, muni, email string, role auth.Role, orgID int64) auth.Actor {
	t.Helper()
	u, _, err := f.auth.CreateUser(context.Background(), auth.System("test", muni), auth.NewUser{Email: email, Role: role, Municipality: muni, OrganizationID: orgID, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor("127.0.0.1")
}

func company(name, kana string) org.Profile {
	return org.Profile{
		Name: name, NameKana: kana, CorporateNumber: "", JSICCode: "2464",
		PostalCode: "〒１９１－００６５", Address: org.Address{Prefecture: "東京都", City: "日野市", Town: "旭が丘3-1-1"},
		Employees: 25, CapitalYen: 10_000_000, FoundedYear: 1975,
		Processes: []string{"めっき", "ｱﾙﾏｲﾄ"}, Materials: []string{"アルミ"}, Certifications: []string{"ISO9001"},
		Contacts: []org.Contact{{Person: "営業部 田中", Phone: "０４２－５８５－１１１１", Email: "Sales@Example.JP"}},
		PRText:   "硬質アルマイトと無電解ニッケルめっきの専門工場です。", Strengths: "膜厚管理が極めて安定している。", Notes: "後継者問題あり（内部メモ）",
	}
}

func fieldsOf(err error) map[string]errs.FieldError {
	out := map[string]errs.FieldError{}
	for _, f := range errs.As(err).Fields {
		out[f.Field] = f
	}
	return out
}

func TestCreateNormalizesAndValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		o, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社日野めっき工業", "ひのめっきこうぎょう")})
		if err != nil {
			t.Fatal(err)
		}
		p := o.Profile
		if p.NameKana != "ヒノメッキコウギョウ" || p.PostalCode != "191-0065" || p.Processes[1] != "アルマイト" || p.Contacts[0].Phone != "042-585-1111" || p.Contacts[0].Email != "sales@example.jp" {
			t.Errorf("not normalized: %+v", p)
		}
		if p.Address.CityCode != "132128" {
			t.Errorf("city code %q", p.Address.CityCode)
		}
		bad := company("", "漢字")
		bad.CorporateNumber = "1234567890123"
		bad.JSICCode = "0001"
		bad.PostalCode = "12-34"
		bad.URL = "javascript:alert(1)"
		bad.FoundedYear = 3000
		bad.Processes = []string{"魔法加工"}
		bad.Contacts[0].Email = "not-an-address"
		bad.PRText = strings.Repeat("あ", 6000)
		_, err = f.org.Create(ctx, f.hino, org.NewOrganization{Kind: "factory", Profile: bad})
		if errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("want invalid, got %v", err)
		}
		fe := fieldsOf(err)
		for _, field := range []string{"kind", "name", "name_kana", "corporate_number", "jsic_code", "postal_code", "url", "founded_year", "processes", "contacts[0].email", "pr_text"} {
			e, ok := fe[field]
			if !ok {
				t.Errorf("no error for %s", field)
				continue
			}
			if e.JA == "" || e.EN == "" || e.JA == e.EN {
				t.Errorf("%s: want Japanese and English messages, got %q / %q", field, e.JA, e.EN)
			}
		}
		if e := fe["corporate_number"]; !strings.Contains(e.JA, "チェックデジット") {
			t.Errorf("corporate number message %q", e.JA)
		}
		// Nothing half-saved.
		res, _ := f.org.List(ctx, f.hino, org.ListQuery{})
		if res.Total != 1 {
			t.Errorf("%d organizations after a refused create", res.Total)
		}
		// The same 法人番号 twice in one municipality is refused; in another it is fine.
		a := company("株式会社A", "エー")
		a.CorporateNumber = "7123456789012"
		if _, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Profile: a}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Profile: a}); fieldsOf(err)["corporate_number"].JA == "" {
			t.Errorf("duplicate 法人番号: %v", err)
		}
		if _, err := f.org.Create(ctx, f.hachi, org.NewOrganization{Kind: org.KindCompany, Profile: a}); err != nil {
			t.Errorf("the same 法人番号 in another municipality: %v", err)
		}
	})
}

func TestConcurrentEditsConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		o, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Profile: company("株式会社テスト", "テスト")})
		if err != nil {
			t.Fatal(err)
		}
		other := f.user(t, "132128", "other@hino.example", auth.RoleCoordinator, 0)
		// Both open version 1; the first save wins, the second gets a conflict.
		p1, p2 := o.Profile, o.Profile
		p1.PRText = "Aさんの修正"
		p2.PRText = "Bさんの修正"
		o1, err := f.org.Update(ctx, f.hino, o.ID, o.Version, p1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.org.Update(ctx, other, o.ID, o.Version, p2)
		if errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("second save: want conflict, got %v", err)
		}
		cur, ok := errs.As(err).Current.(org.Organization)
		if !ok || cur.Profile.PRText != "Aさんの修正" || cur.Version != o1.Version {
			t.Errorf("conflict does not carry the current version: %+v", errs.As(err).Current)
		}
		got, _ := f.org.Get(ctx, f.hino, o.ID)
		if got.Profile.PRText != "Aさんの修正" {
			t.Errorf("the later save overwrote: %q", got.Profile.PRText)
		}
		// Saving an unchanged profile writes nothing and keeps the version.
		same, err := f.org.Update(ctx, f.hino, o.ID, o1.Version, o1.Profile)
		if err != nil || same.Version != o1.Version {
			t.Errorf("no-op save: version %d→%d, %v", o1.Version, same.Version, err)
		}
	})
}

func TestMemberDraftAndVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		mine, _ := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社自社", "ジシャ")})
		theirs, _ := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社他社", "タシャ")})
		hidden, _ := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: false, Profile: company("株式会社非公開", "ヒコウカイ")})
		member := f.user(t, "132128", "member@jisha.example", auth.RoleMember, mine.ID)
		other := f.user(t, "132128", "member@tasha.example", auth.RoleMember, theirs.ID)

		// The member sees their own organization whole, but not the internal notes.
		got, err := f.org.Get(ctx, member, mine.ID)
		if err != nil || got.Profile.Notes != "" || got.Profile.Strengths == "" || len(got.Profile.Contacts) == 0 {
			t.Errorf("own organization: %+v %v", got.Profile, err)
		}
		// Members can't edit others, nor approve, nor edit directly.
		if _, err := f.org.SaveDraft(ctx, member, theirs.ID, theirs.Version, theirs.Profile, true); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("draft for another organization: %v", err)
		}
		if _, err := f.org.Update(ctx, member, mine.ID, mine.Version, mine.Profile); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("member direct edit: %v", err)
		}
		p := got.Profile
		p.PRText = "新しいPR文です。"
		p.Strengths = "自分で書いた強み"
		p.Visibility = map[org.FieldGroup]org.Visibility{org.GroupScale: org.Staff}
		d, err := f.org.SaveDraft(ctx, member, mine.ID, got.Version, p, true)
		if err != nil {
			t.Fatal(err)
		}
		if d.DraftStatus != org.DraftSubmitted || d.Draft == nil || d.Draft.Strengths == "自分で書いた強み" {
			t.Errorf("draft: %s %+v", d.DraftStatus, d.Draft)
		}
		// Nobody else sees the draft; the published profile is unchanged.
		for _, a := range []auth.Actor{other, auth.Anonymous("132128")} {
			v, err := f.org.Get(ctx, a, mine.ID)
			if err != nil || v.Draft != nil || v.Profile.PRText == "新しいPR文です。" {
				t.Errorf("%s sees %+v / %v", a.Label(), v.Draft, err)
			}
		}
		if _, err := f.org.Approve(ctx, member, mine.ID, d.Version); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("member approving: %v", err)
		}
		ap, err := f.org.Approve(ctx, f.hino, mine.ID, d.Version)
		if err != nil {
			t.Fatal(err)
		}
		if ap.Profile.PRText != "新しいPR文です。" || ap.Draft != nil || ap.Profile.Strengths != "膜厚管理が極めて安定している。" || ap.Profile.Notes == "" {
			t.Errorf("approved: %+v", ap.Profile)
		}
		// Visibility: the public sees neither the staff-only scale group nor
		// partner contacts nor notes; a signed-in partner sees contacts.
		pub, _ := f.org.Get(ctx, auth.Anonymous("132128"), mine.ID)
		if pub.Profile.Employees != 0 || len(pub.Profile.Contacts) != 0 || pub.Profile.Notes != "" || pub.Profile.Strengths == "" || pub.Profile.Visibility != nil {
			t.Errorf("public view: %+v", pub.Profile)
		}
		part, _ := f.org.Get(ctx, other, mine.ID)
		if len(part.Profile.Contacts) == 0 || part.Profile.Employees != 0 {
			t.Errorf("partner view: %+v", part.Profile)
		}
		// Unpublished organizations exist only for staff.
		if _, err := f.org.Get(ctx, auth.Anonymous("132128"), hidden.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("anonymous sees an unpublished organization: %v", err)
		}
		// Rejection sends a draft back with a note, visible to the member.
		d2, _ := f.org.SaveDraft(ctx, member, mine.ID, ap.Version, ap.Profile, true)
		if _, err := f.org.Reject(ctx, f.hino, mine.ID, d2.Version, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("reject without a note: %v", err)
		}
		rj, err := f.org.Reject(ctx, f.hino, mine.ID, d2.Version, "写真を追加してください")
		if err != nil || rj.DraftStatus != org.DraftRejected {
			t.Fatalf("reject: %v %v", rj.DraftStatus, err)
		}
		mv, _ := f.org.Get(ctx, member, mine.ID)
		if mv.DraftNote != "写真を追加してください" {
			t.Errorf("member does not see the note: %q", mv.DraftNote)
		}
	})
}

func TestListSearchAndTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		names := [][2]string{{"株式会社程久保テクノ", "ホドクボテクノ"}, {"有限会社アトラ精工", "アトラセイコウ"}, {"宇津木工作所株式会社", "ウツギコウサクショ"}, {"株式会社ガクセイ", "ガクセイ"}, {"カガク工業株式会社", "カガクコウギョウ"}}
		for _, n := range names {
			if _, err := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company(n[0], n[1])}); err != nil {
				t.Fatal(err)
			}
		}
		f.org.Create(ctx, f.hachi, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社八王子だけ", "ハチオウジダケ")})

		res, err := f.org.List(ctx, f.hino, org.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, o := range res.Items {
			order = append(order, o.Profile.NameKana)
		}
		if want := "アトラセイコウ ウツギコウサクショ カガクコウギョウ ガクセイ ホドクボテクノ"; strings.Join(order, " ") != want {
			t.Errorf("五十音 order: %v, want %s", order, want)
		}
		for q, want := range map[string]int{"ﾎﾄﾞｸﾎﾞ": 1, "ほどくぼ": 1, "程久保": 1, "ＡＴＯＲＡ": 0, "アトラ 精工": 1, "工": 3, "%": 0, "_": 0, "八王子": 0} {
			res, err := f.org.List(ctx, f.hino, org.ListQuery{Q: q})
			if err != nil || res.Total != want {
				t.Errorf("search %q: %d results (%v), want %d", q, res.Total, err, want)
			}
		}
		// Staff of 八王子 see only their own.
		res, _ = f.org.List(ctx, f.hachi, org.ListQuery{})
		if res.Total != 1 || res.Items[0].Municipality != "132012" {
			t.Errorf("八王子 sees %d organizations", res.Total)
		}
		hinoOrg := res.Items[0]
		if _, err := f.org.Get(ctx, f.hino, hinoOrg.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("日野 staff read a 八王子 record: %v", err)
		}
		if _, err := f.org.Update(ctx, f.hino, hinoOrg.ID, hinoOrg.Version, hinoOrg.Profile); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("日野 staff changed a 八王子 record: %v", err)
		}
		if _, err := f.org.Archive(ctx, f.hino, hinoOrg.ID, hinoOrg.Version, "x"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("日野 staff archived a 八王子 record: %v", err)
		}
		// Bad list parameters are field errors, not failures.
		_, err = f.org.List(ctx, f.hino, org.ListQuery{Sort: "name; DROP TABLE organizations", Kind: "x", PerPage: 10000})
		if fe := fieldsOf(err); fe["sort"].JA == "" || fe["kind"].JA == "" || fe["per_page"].JA == "" {
			t.Errorf("bad list query: %v", err)
		}
	})
}

func TestArchiveAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		o, _ := f.org.Create(ctx, f.hino, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: company("株式会社履歴", "リレキ")})
		p := o.Profile
		p.Employees = 30
		o, _ = f.org.Update(ctx, f.hino, o.ID, o.Version, p)
		o, err := f.org.Archive(ctx, f.hino, o.ID, o.Version, "廃業")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.org.Get(ctx, auth.Anonymous("132128"), o.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("archived organization is public: %v", err)
		}
		res, _ := f.org.List(ctx, f.hino, org.ListQuery{Status: org.StatusArchived})
		if res.Total != 1 {
			t.Errorf("archived list: %d", res.Total)
		}
		h, err := f.org.History(ctx, f.hino, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range h {
			actions = append(actions, e.Action)
			if e.Actor != "staff@hino.example" {
				t.Errorf("history actor %q", e.Actor)
			}
		}
		if strings.Join(actions, ",") != "organization.archive,organization.update,organization.create" {
			t.Errorf("history: %v", actions)
		}
		var before, after struct {
			Profile org.Profile `json:"profile"`
		}
		json.Unmarshal(h[1].Before, &before)
		json.Unmarshal(h[1].After, &after)
		if before.Profile.Employees != 25 || after.Profile.Employees != 30 {
			t.Errorf("history before/after: %d → %d", before.Profile.Employees, after.Profile.Employees)
		}
		if _, err := f.org.History(ctx, auth.Anonymous("132128"), o.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("anonymous history: %v", err)
		}
	})
}
