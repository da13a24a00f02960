package visit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
	"mieruka/internal/visit"
)

func TestTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		// Ten visits a week apart, each with an issue; a consultation with
		// a referral; and a source of "inquiries" from another package.
		for i := 0; i < 10; i++ {
			in := f.visitIn(f.now.AddDate(0, 0, -7*(i+1)))
			in.NewIssues = []visit.IssueInput{{Title: "課題 " + itoa(int64(i))}}
			if _, err := f.v.CreateVisit(ctx, f.coord, in); err != nil {
				t.Fatal(err)
			}
		}
		c, err := f.v.CreateConsultation(ctx, f.coord, visit.ConsultationInput{OrganizationID: f.companyA, Category: visit.CatDX, Subject: "生産管理のデジタル化", ReceivedAt: f.now.AddDate(0, 0, -3)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.v.CreateReferral(ctx, f.coord, visit.ReferralInput{ConsultationID: c.ID, AgencyID: f.agency, ReferredOn: "2025-06-02"}); err != nil {
			t.Fatal(err)
		}
		f.v.AddTimelineSource(visit.TimelineSourceFunc(func(ctx context.Context, a auth.Actor, orgID int64, q visit.TimelineQuery) ([]visit.TimelineItem, error) {
			if orgID != f.companyA {
				return nil, nil
			}
			at := f.now.AddDate(0, 0, -1)
			if !at.Before(q.Before) {
				return nil, nil
			}
			return []visit.TimelineItem{{Kind: visit.KindInquiry, ID: 1, At: at, Title: "サイトからの問い合わせ"}}, nil
		}))
		tl, err := f.v.Timeline(ctx, f.staff, f.companyA, visit.TimelineQuery{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, it := range tl.Items {
			kinds = append(kinds, it.Kind)
		}
		// The ten issues were written at the same instant (now): a page
		// keeps every item of its last instant, so all ten come first.
		want := strings.TrimSpace(strings.Repeat("company_issue ", 10))
		if strings.Join(kinds, " ") != want || tl.Next == nil {
			t.Errorf("first page: %v (next %v), want %s", kinds, tl.Next, want)
		}
		tl, _ = f.v.Timeline(ctx, f.staff, f.companyA, visit.TimelineQuery{Limit: 3, Before: *tl.Next})
		kinds = nil
		for _, it := range tl.Items {
			kinds = append(kinds, it.Kind)
		}
		if got := strings.Join(kinds, " "); got != "referral inquiry consultation" { // the referral sorts at noon of its day
			t.Errorf("second page: %s", got)
		}
		// Paging through reaches everything once, newest first.
		seen := map[string]bool{}
		total := 0
		q := visit.TimelineQuery{Limit: 4}
		var last time.Time
		for pages := 0; pages < 20; pages++ {
			tl, err := f.v.Timeline(ctx, f.staff, f.companyA, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range tl.Items {
				key := it.Kind + itoa(it.ID)
				if seen[key] {
					t.Errorf("%s twice", key)
				}
				if !last.IsZero() && it.At.After(last) {
					t.Errorf("%s out of order", key)
				}
				seen[key], last = true, it.At
				total++
			}
			if tl.Next == nil {
				break
			}
			q.Before = *tl.Next
		}
		if total != 10+10+1+1+1 {
			t.Errorf("paged through %d items, want 23", total)
		}
		only, _ := f.v.Timeline(ctx, f.staff, f.companyA, visit.TimelineQuery{Kinds: []string{visit.KindVisit}, Limit: 100})
		if len(only.Items) != 10 || only.Items[0].URL == "" || len(only.Items[0].People) != 2 {
			t.Errorf("visits only: %d items, %+v", len(only.Items), only.Items[0])
		}
		if _, err := f.v.Timeline(ctx, f.staff, f.companyA, visit.TimelineQuery{Kinds: []string{"gossip"}}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown kind: %v", err)
		}
		if _, err := f.v.Timeline(ctx, f.staff, 999999, visit.TimelineQuery{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown company: %v", err)
		}
		sum, err := f.v.Summary(ctx, f.staff, f.companyA)
		if err != nil || sum.Visits != 10 || sum.OpenIssues != 10 || sum.Consultations != 1 || sum.LifeStage != visit.StageSuccession || sum.LastVisit == nil {
			t.Errorf("summary: %v %+v", err, sum)
		}
	})
}

func TestPlanning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		sys := auth.System("test", hino)
		mk := func(name string) int64 {
			o, err := f.orgs.Create(ctx, sys, org.NewOrganization{Kind: org.KindCompany, Profile: org.Profile{Name: name}})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		// A: visited last month. B: visited 2 years ago, mature. C: visited
		// 14 months ago, succession stage. D: never visited. E: 18 months
		// ago with two open issues. H: never, but a visit is planned.
		// G: a consultation last month (contact without a visit).
		c, d, e, g, h := mk("株式会社C"), mk("株式会社D"), mk("株式会社E"), mk("株式会社G"), mk("株式会社H")
		visitAt := func(id int64, monthsAgo int, stage visit.LifeStage, issues int) {
			in := f.visitIn(f.now.AddDate(0, -monthsAgo, 0))
			in.OrganizationID, in.LifeStage = id, stage
			for i := 0; i < issues; i++ {
				in.NewIssues = append(in.NewIssues, visit.IssueInput{Title: "課題"})
			}
			if _, err := f.v.CreateVisit(ctx, f.coord, in); err != nil {
				t.Fatal(err)
			}
		}
		visitAt(f.companyA, 1, visit.StageGrowth, 0)
		visitAt(f.companyB, 24, visit.StageMature, 0)
		visitAt(c, 14, visit.StageSuccession, 0)
		visitAt(e, 18, visit.StageGrowth, 2)
		plan := f.visitIn(f.now.AddDate(0, 0, 10))
		plan.OrganizationID = h
		if _, err := f.v.CreateVisit(ctx, f.coord, plan); err != nil {
			t.Fatal(err)
		}
		if _, err := f.v.CreateConsultation(ctx, f.coord, visit.ConsultationInput{OrganizationID: g, Category: visit.CatFinance, Subject: "資金", ReceivedAt: f.now.AddDate(0, -1, 0)}); err != nil {
			t.Fatal(err)
		}
		nv, err := f.v.NotVisited(ctx, f.staff, visit.PlanningQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range nv.Items {
			names = append(names, r.Name)
		}
		want := "株式会社E 株式会社C 株式会社D 有限会社多摩プレス"
		if strings.Join(names, " ") != want || nv.Months != 12 {
			t.Errorf("not visited for %d months: %v, want %s", nv.Months, names, want)
		}
		if r := nv.Items[0]; r.OpenIssues != 2 || r.MonthsSince != 18 || !strings.Contains(r.Reason("ja"), "未解決の課題2件") {
			t.Errorf("first row: %+v %q", r, r.Reason("ja"))
		}
		if r := nv.Items[2]; r.MonthsSince != -1 || r.SinceLabel("ja") != "訪問記録なし" {
			t.Errorf("never visited: %+v", r)
		}
		nv, _ = f.v.NotVisited(ctx, f.staff, visit.PlanningQuery{Months: 20, WithPlanned: true})
		names = nil
		for _, r := range nv.Items {
			names = append(names, r.Name)
		}
		if strings.Join(names, " ") != "株式会社D 有限会社多摩プレス 株式会社H" {
			t.Errorf("20 months with planned: %v", names)
		}
		if _, err := f.v.NotVisited(ctx, f.staff, visit.PlanningQuery{Months: 500}); !errs.Is(err, errs.Invalid) {
			t.Errorf("500 months: %v", err)
		}
		if _, err := f.v.NotVisited(ctx, f.bank, visit.PlanningQuery{}); err == nil {
			t.Error("bank staff read the planning list")
		}
		// The coordinator's agenda: the planned visit, the overdue issue.
		is := visit.IssueInput{OrganizationID: d, Title: "見積の回答が遅い", DueOn: "2025-05-20"}
		if _, err := f.v.CreateIssue(ctx, f.coord, is); err != nil {
			t.Fatal(err)
		}
		is.Title, is.DueOn = "来週の期限", "2025-06-06"
		if _, err := f.v.CreateIssue(ctx, f.coord, is); err != nil {
			t.Fatal(err)
		}
		ag, err := f.v.Agenda(ctx, f.coord, 0, 14)
		if err != nil || len(ag.Upcoming) != 1 || len(ag.Overdue) != 1 || len(ag.DueSoon) != 1 || ag.Overdue[0].DaysLate(ag.Today) != 14 {
			t.Errorf("agenda: %v %+v", err, ag)
		}
		bag, err := f.v.Agenda(ctx, f.bank, 0, 14)
		if err != nil || len(bag.Upcoming) != 1 || len(bag.Overdue) != 0 || bag.Upcoming[0].Notes != "" {
			t.Errorf("bank agenda: %v %+v", err, bag)
		}
		if _, err := f.v.Agenda(ctx, f.bank, f.coord.UserID, 14); err == nil {
			t.Error("bank staff read a coordinator's agenda")
		}
	})
}

func TestCountsAndExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		// FY2024: two visits (one tagged pillar 2 and 4); FY2025: one visit.
		in := f.visitIn(time.Date(2024, 4, 1, 10, 0, 0, 0, f.now.Location())) // first day of 令和6年度
		in.Pillars = []visit.Pillar{2, 4}
		in.NewIssues = []visit.IssueInput{{Title: "=HYPERLINK(\"http://evil.example\")", Measures: []string{"2-1"}, Pillars: []visit.Pillar{2}}}
		if _, err := f.v.CreateVisit(ctx, f.coord, in); err != nil {
			t.Fatal(err)
		}
		in = f.visitIn(time.Date(2025, 3, 31, 15, 0, 0, 0, f.now.Location())) // last day of 令和6年度
		in.OrganizationID = f.companyB
		if _, err := f.v.CreateVisit(ctx, f.coord, in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.v.CreateVisit(ctx, f.coord, f.visitIn(time.Date(2025, 4, 1, 9, 0, 0, 0, f.now.Location()))); err != nil {
			t.Fatal(err)
		}
		cs, err := f.v.CreateConsultation(ctx, f.coord, visit.ConsultationInput{OrganizationID: f.companyA, Category: visit.CatFinance, Subject: "設備資金", ReceivedAt: time.Date(2024, 10, 1, 10, 0, 0, 0, f.now.Location())})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.v.CreateReferral(ctx, f.coord, visit.ReferralInput{ConsultationID: cs.ID, AgencyID: f.bankOrg, ReferredOn: "2024-10-02", Outcome: visit.OutcomeCompleted, Measure: "4-3"}); err != nil {
			t.Fatal(err)
		}
		c, err := f.v.Counts(ctx, f.staff, 2024)
		if err != nil {
			t.Fatal(err)
		}
		// The issue was created "now" (FY2025), so FY2024 counts none.
		if c.Totals.Visits != 2 || c.Totals.Consultations != 1 || c.Totals.Referrals != 1 || c.VisitedCompanies != 2 || c.Totals.CompanyIssues != 0 {
			t.Errorf("FY2024 totals: %+v, %d companies", c.Totals, c.VisitedCompanies)
		}
		if c.ByPillar[1].Visits != 1 || c.ByPillar[3].Visits != 2 || c.ByPillar[3].Consultations != 1 || c.ByPillar[3].Referrals != 1 {
			t.Errorf("by pillar: %+v", c.ByPillar)
		}
		if c.ByCapability[2].Visits != 2 || c.ByCapability[2].Consultations != 1 {
			t.Errorf("by capability: %+v", c.ByCapability)
		}
		for _, m := range c.ByMeasure {
			if m.Code == "4-3" && m.Referrals != 1 {
				t.Errorf("measure 4-3: %+v", m)
			}
		}
		c25, _ := f.v.Counts(ctx, f.staff, 2025)
		if c25.Totals.Visits != 1 || c25.Totals.CompanyIssues != 1 || c25.ByMeasure[7].CompanyIssues != 1 {
			t.Errorf("FY2025: %+v %+v", c25.Totals, c25.ByMeasure[7])
		}
		if _, err := f.v.Counts(ctx, f.staff, 1999); !errs.Is(err, errs.Invalid) {
			t.Errorf("FY1999: %v", err)
		}
		// XLSX: a summary and a sheet per kind, 和暦 beside 西暦, 年度.
		var buf bytes.Buffer
		if err := f.v.Export(ctx, f.staff, 2024, "xlsx", "", &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(x.GetSheetList(), ","); got != "集計,訪問,課題,相談,紹介" {
			t.Errorf("sheets %s", got)
		}
		rows, _ := x.GetRows("訪問")
		if len(rows) != 3 || rows[0][1] != "年度" || rows[1][1] != "2024" || rows[1][2] != "令和6年度（2024年度）" || rows[1][4] != "令和6年4月1日" {
			t.Errorf("visits sheet: %v", rows)
		}
		if v, _ := x.GetCellValue("訪問", "D2"); v != "2024/04/01" && v != "04-01-24" {
			t.Logf("date cell D2 shows %q", v)
		}
		if typ, _ := x.GetCellType("訪問", "D2"); typ != excelize.CellTypeDate && typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("the 西暦 date is not a date cell: %v", typ)
		}
		rows, _ = x.GetRows("訪問")
		for _, r := range rows {
			for _, cell := range r {
				if strings.Contains(cell, "社長は70歳") {
					t.Error("notes in the export")
				}
			}
		}
		sum, _ := x.GetRows("集計")
		if len(sum) < 10 || sum[1][2] != "2" {
			t.Errorf("summary sheet: %v", sum[:2])
		}
		// CSV: one kind, UTF-8 BOM, CRLF, formulas guarded.
		buf.Reset()
		if err := f.v.Export(ctx, f.staff, 2025, "csv", visit.ExportIssues, &buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		if !strings.HasPrefix(raw, "\ufeffID,年度,年度（和暦）,登録日（西暦）,登録日（和暦）,企業名,課題") || !strings.Contains(raw, "\r\n") {
			t.Errorf("CSV head: %q", raw[:min(120, len(raw))])
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 2 || !strings.HasPrefix(recs[1][6], "'=HYPERLINK") || recs[1][13] != "外部支援機関活用支援（専門家派遣事業（デジタル化））" {
			t.Errorf("CSV: %v %v", err, recs)
		}
		for _, bad := range []struct{ format, kind string }{{"pdf", ""}, {"csv", "notes"}} {
			if err := f.v.Export(ctx, f.staff, 2025, bad.format, bad.kind, &buf); !errs.Is(err, errs.Invalid) {
				t.Errorf("%s/%s: %v", bad.format, bad.kind, err)
			}
		}
		if err := f.v.Export(ctx, f.coord, 2025, "xlsx", "", &buf); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a coordinator exported: %v", err)
		}
	})
}
