package visit_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
	"mieruka/internal/visit"
)

func TestVisitLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		in := f.visitIn(f.now.Add(-48 * time.Hour))
		in.NewIssues = []visit.IssueInput{
			{Title: "後継者が決まっていない", Capabilities: []visit.Capability{visit.CapManagement}, Pillars: []visit.Pillar{4}, Measures: []string{"1-7"}, DueOn: "令和7年7月31日"},
			{Title: "受注の波が大きい", OwnerID: f.coord2.UserID},
		}
		v, err := f.v.CreateVisit(ctx, f.coord, in)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != visit.VisitDone || v.Version != 1 || len(v.Attendees) != 2 || len(v.Issues) != 2 || v.OrganizationName != "株式会社日野精工" {
			t.Fatalf("created: %+v", v)
		}
		if v.Issues[0].DueOn != "2025-07-31" || v.Issues[0].OwnerID != f.coord.UserID || v.Issues[1].OwnerID != f.coord2.UserID {
			t.Errorf("issues: %+v", v.Issues)
		}
		// A future visit without a status is planned.
		p, err := f.v.CreateVisit(ctx, f.coord, f.visitIn(f.now.Add(72*time.Hour)))
		if err != nil || p.Status != visit.VisitPlanned {
			t.Fatalf("planned: %v %+v", err, p.Status)
		}
		// Edit with the right version, then a stale one.
		in2 := f.visitIn(v.StartsAt)
		in2.Purpose = "事業承継の意向確認（2回目）"
		in2.Status = visit.VisitDone
		v2, err := f.v.UpdateVisit(ctx, f.coord2, v.ID, v.Version, in2)
		if err != nil || v2.Version != 2 || v2.Purpose != in2.Purpose {
			t.Fatalf("update: %v %+v", err, v2)
		}
		in3 := in2
		in3.Purpose = "古い版からの上書き"
		_, err = f.v.UpdateVisit(ctx, f.coord, v.ID, v.Version, in3)
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		if cur, ok := errs.As(err).Current.(visit.Visit); !ok || cur.Purpose != in2.Purpose {
			t.Errorf("the conflict carries %#v", errs.As(err).Current)
		}
		got, _ := f.v.GetVisit(ctx, f.staff, v.ID)
		if got.Purpose != in2.Purpose || got.Version != 2 {
			t.Errorf("after the conflict: %q v%d", got.Purpose, got.Version)
		}
		// Lists and filters.
		list, err := f.v.ListVisits(ctx, f.staff, visit.VisitQuery{FiscalYear: 2025})
		if err != nil || list.Total != 2 {
			t.Fatalf("list: %v %d", err, list.Total)
		}
		list, _ = f.v.ListVisits(ctx, f.staff, visit.VisitQuery{Status: visit.VisitPlanned})
		if list.Total != 1 || list.Items[0].ID != p.ID || len(list.Items[0].Attendees) != 2 {
			t.Errorf("planned list: %+v", list)
		}
		list, _ = f.v.ListVisits(ctx, f.staff, visit.VisitQuery{Q: "ﾆｯｾｲ", Pillar: 4, Capability: visit.CapPeople})
		if list.Total != 0 {
			t.Errorf("a search that should match nothing: %d", list.Total)
		}
		list, _ = f.v.ListVisits(ctx, f.staff, visit.VisitQuery{Q: "日野精工", Pillar: 4, Capability: visit.CapPeople})
		if list.Total != 2 {
			t.Errorf("search and tags: %d", list.Total)
		}
		if _, err := f.v.ListVisits(ctx, f.staff, visit.VisitQuery{Sort: "name; DROP TABLE visits"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("sort outside the whitelist: %v", err)
		}
		// The issue: edit, refer, resolve.
		is := got.Issues[0]
		ref, err := f.v.CreateReferral(ctx, f.coord, visit.ReferralInput{IssueID: is.ID, AgencyID: f.agency, Measure: "1-7", FollowUpOn: "2025-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		if ref.OrganizationID != f.companyA || ref.Outcome != visit.OutcomeAccepted || ref.ReferredOn != "2025-06-03" {
			t.Errorf("referral: %+v", ref)
		}
		is2, _ := f.v.GetIssue(ctx, f.staff, is.ID)
		if is2.Status != visit.IssueInProgress || len(is2.Referrals) != 1 || is2.Version != 2 {
			t.Errorf("the referred issue: %s v%d %d referrals", is2.Status, is2.Version, len(is2.Referrals))
		}
		upd := visit.IssueInput{Title: is2.Title, Status: visit.IssueResolved, Measures: is2.Measures, OwnerID: is2.OwnerID, Capabilities: is2.Capabilities, Pillars: is2.Pillars}
		is3, err := f.v.UpdateIssue(ctx, f.coord, is.ID, is2.Version, upd)
		if err != nil || is3.Status != visit.IssueResolved || is3.ResolvedAt == nil {
			t.Fatalf("resolve: %v %+v", err, is3)
		}
		issues, _ := f.v.ListIssues(ctx, f.staff, visit.IssueQuery{Status: "active"})
		if issues.Total != 1 {
			t.Errorf("active issues: %d", issues.Total)
		}
	})
}

func TestBadInputIsRefusedWholly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		count := func() (n int) {
			db.R.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM visits) + (SELECT COUNT(*) FROM company_issues) + (SELECT COUNT(*) FROM visit_attendees)").Scan(&n)
			return n
		}
		cases := []struct {
			name   string
			change func(in *visit.VisitInput)
			field  string
			ja     string
		}{
			{"a date in 1999", func(in *visit.VisitInput) { in.StartsAt = time.Date(1999, 12, 31, 10, 0, 0, 0, time.UTC) }, "starts_at", "2000年から"},
			{"a date in 2100", func(in *visit.VisitInput) { in.StartsAt = time.Date(2100, 1, 1, 10, 0, 0, 0, time.UTC) }, "starts_at", "2000年から"},
			{"no date", func(in *visit.VisitInput) { in.StartsAt = time.Time{} }, "starts_at", "日時を入力"},
			{"done in the future", func(in *visit.VisitInput) { in.StartsAt = f.now.AddDate(0, 1, 0); in.Status = visit.VisitDone }, "status", "未来の訪問"},
			{"an unknown company", func(in *visit.VisitInput) { in.OrganizationID = 999999 }, "organization_id", "登録されていません"},
			{"another municipality's company", func(in *visit.VisitInput) { in.OrganizationID = f.hachiCompany }, "organization_id", "他の自治体"},
			{"an agency as the company", func(in *visit.VisitInput) { in.OrganizationID = f.agency }, "organization_id", "企業または研究室"},
			{"an attendee of another municipality", func(in *visit.VisitInput) { in.AttendeeIDs = []int64{f.coord.UserID, f.hachiStaff.UserID} }, "attendee_ids", "他の自治体"},
			{"a member as attendee", func(in *visit.VisitInput) { in.AttendeeIDs = []int64{f.member.UserID} }, "attendee_ids", "から選んでください"},
			{"50 KB of notes", func(in *visit.VisitInput) { in.Notes = strings.Repeat("あいうえおかきくけこ", 1700) }, "notes", "10,000文字以内"},
			{"no purpose", func(in *visit.VisitInput) { in.Purpose = " \t" }, "purpose", "目的を入力"},
			{"an unknown capability", func(in *visit.VisitInput) { in.Capabilities = []visit.Capability{"magic"} }, "capabilities", "基盤力"},
			{"pillar 6", func(in *visit.VisitInput) { in.Pillars = []visit.Pillar{6} }, "pillars", "1から5"},
			{"a bad issue beside a good visit", func(in *visit.VisitInput) {
				in.NewIssues = []visit.IssueInput{{Title: "良い課題"}, {Title: "期限が変", DueOn: "2025-13-45"}}
			}, "new_issues[1].due_on", "2025-06-03"},
		}
		before := count()
		for _, c := range cases {
			in := f.visitIn(f.now.Add(-time.Hour))
			c.change(&in)
			_, err := f.v.CreateVisit(ctx, f.coord, in)
			fe, ok := fields(err)[c.field]
			if !errs.Is(err, errs.Invalid) || !ok {
				t.Errorf("%s: %v (fields %v)", c.name, err, fields(err))
				continue
			}
			if !strings.Contains(fe.JA, c.ja) || fe.EN == "" || fe.EN == fe.JA {
				t.Errorf("%s: %q / %q", c.name, fe.JA, fe.EN)
			}
		}
		if n := count(); n != before {
			t.Errorf("refused input left %d rows behind", n-before)
		}
		// Someone without the right may not record at all.
		if _, err := f.v.CreateVisit(ctx, f.bank, f.visitIn(f.now)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("bank staff recorded a visit: %v", err)
		}
		if _, err := f.v.CreateVisit(ctx, f.member, f.visitIn(f.now)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a member recorded a visit: %v", err)
		}
	})
}

func TestConfidentiality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		withBank, err := f.v.CreateVisit(ctx, f.coord, f.visitIn(f.now.Add(-24*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		in := f.visitIn(f.now.Add(-30 * time.Hour))
		in.AttendeeIDs = []int64{f.coord.UserID}
		in.OrganizationID = f.companyB
		without, err := f.v.CreateVisit(ctx, f.coord, in)
		if err != nil {
			t.Fatal(err)
		}
		// Bank staff: the visits they attended, never the notes.
		got, err := f.v.GetVisit(ctx, f.bank, withBank.ID)
		if err != nil || got.Notes != "" || !got.NotesHidden || got.Issues != nil {
			t.Errorf("bank view: %v %+v", err, got)
		}
		if _, err := f.v.GetVisit(ctx, f.bank, without.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("bank reads a visit without them: %v", err)
		}
		list, err := f.v.ListVisits(ctx, f.bank, visit.VisitQuery{})
		if err != nil || list.Total != 1 || list.Items[0].Notes != "" {
			t.Errorf("bank list: %v %+v", err, list)
		}
		if _, err := f.v.ListConsultations(ctx, f.bank, visit.ConsultationQuery{}); err == nil {
			t.Error("bank lists consultations")
		}
		if _, err := f.v.Timeline(ctx, f.bank, f.companyA, visit.TimelineQuery{}); err == nil {
			t.Error("bank reads a timeline")
		}
		// Members: their own consultations and referrals, without notes.
		mine, err := f.v.CreateConsultation(ctx, f.member, visit.ConsultationInput{Category: visit.CatSuccession, Subject: "後継者について相談したい",
			Request: "社長が高齢で、今後のことを相談したいです。", Notes: "member tries to write notes", OrganizationID: f.companyB, OwnerID: f.coord.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if mine.OrganizationID != f.companyA || mine.Channel != visit.ChannelAccount || mine.Notes != "" || mine.OwnerID != 0 || mine.Status != visit.ConsNew {
			t.Errorf("a member's consultation: %+v", mine)
		}
		other, err := f.v.CreateConsultation(ctx, f.coord, visit.ConsultationInput{OrganizationID: f.companyB, Channel: visit.ChannelPhone, Category: visit.CatFinance, Subject: "運転資金", Notes: "資金繰りが厳しい（内部）"})
		if err != nil {
			t.Fatal(err)
		}
		upd := visit.ConsultationInput{OrganizationID: f.companyA, Channel: visit.ChannelAccount, Category: visit.CatSuccession, Subject: mine.Subject, Request: mine.Request,
			Notes: "長男と話す予定（内部メモ）", Status: visit.ConsInProgress, OwnerID: f.coord.UserID, ReceivedAt: mine.ReceivedAt}
		if _, err := f.v.UpdateConsultation(ctx, f.coord, mine.ID, mine.Version, upd); err != nil {
			t.Fatal(err)
		}
		ref, err := f.v.CreateReferral(ctx, f.coord, visit.ReferralInput{ConsultationID: mine.ID, AgencyID: f.agency, Notes: "センターの担当は〇〇さん（内部）"})
		if err != nil {
			t.Fatal(err)
		}
		seen, err := f.v.GetConsultation(ctx, f.member, mine.ID)
		if err != nil || seen.Notes != "" || seen.Status != visit.ConsReferred || len(seen.Referrals) != 1 || seen.Referrals[0].Notes != "" || seen.Referrals[0].AgencyName == "" {
			t.Errorf("member view: %v %+v", err, seen)
		}
		if _, err := f.v.GetConsultation(ctx, f.member, other.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a member reads another company's consultation: %v", err)
		}
		cl, _ := f.v.ListConsultations(ctx, f.member, visit.ConsultationQuery{})
		if cl.Total != 1 || cl.Items[0].ID != mine.ID || cl.Items[0].Notes != "" {
			t.Errorf("member list: %+v", cl)
		}
		rl, _ := f.v.ListReferrals(ctx, f.member, visit.ReferralQuery{})
		if rl.Total != 1 || rl.Items[0].ID != ref.ID || rl.Items[0].Notes != "" {
			t.Errorf("member referrals: %+v", rl)
		}
		if _, err := f.v.GetVisit(ctx, f.member, withBank.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a member reads a visit: %v", err)
		}
		if _, err := f.v.GetIssue(ctx, f.member, 1); !errs.Is(err, errs.NotFound) {
			t.Errorf("a member reads an issue: %v", err)
		}
		// Another municipality sees nothing of it.
		for _, fn := range []func() error{
			func() error { _, err := f.v.GetVisit(ctx, f.hachiStaff, withBank.ID); return err },
			func() error { _, err := f.v.GetConsultation(ctx, f.hachiStaff, mine.ID); return err },
			func() error { _, err := f.v.GetReferral(ctx, f.hachiStaff, ref.ID); return err },
			func() error { _, err := f.v.Timeline(ctx, f.hachiStaff, f.companyA, visit.TimelineQuery{}); return err },
			func() error {
				_, err := f.v.UpdateVisit(ctx, f.hachiStaff, withBank.ID, withBank.Version, f.visitIn(f.now))
				return err
			},
		} {
			if err := fn(); !errs.Is(err, errs.NotFound) {
				t.Errorf("八王子 reached a 日野 record: %v", err)
			}
		}
		hl, _ := f.v.ListVisits(ctx, f.hachiStaff, visit.VisitQuery{})
		if hl.Total != 0 {
			t.Errorf("八王子 lists %d 日野 visits", hl.Total)
		}
		// The staff inbox was told about the member's consultation, once.
		var n int
		db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send'").Scan(&n)
		if n != 0 {
			t.Errorf("%d mails queued without a mailer", n)
		}
	})
}

// TestConcurrentEdits: two people open the same visit and save; the later
// save is refused with the earlier one's version, never silently applied.
func TestConcurrentEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		v, err := f.v.CreateVisit(ctx, f.coord, f.visitIn(f.now.Add(-time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				in := f.visitIn(v.StartsAt)
				in.Purpose = "同時編集 " + string(rune('A'+i))
				actor := f.coord
				if i%2 == 1 {
					actor = f.coord2
				}
				_, results[i] = f.v.UpdateVisit(ctx, actor, v.ID, v.Version, in)
			}(i)
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case errs.Is(err, errs.Conflict):
				conflicts++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 || conflicts != len(results)-1 {
			t.Errorf("%d saves went through, %d conflicts", ok, conflicts)
		}
		got, _ := f.v.GetVisit(ctx, f.staff, v.ID)
		if got.Version != 2 || !strings.HasPrefix(got.Purpose, "同時編集") {
			t.Errorf("after: v%d %q", got.Version, got.Purpose)
		}
		var audits int
		db.R.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM audit_log WHERE entity = 'visit' AND entity_id = ?"), itoa(v.ID)).Scan(&audits)
		if audits != 2 {
			t.Errorf("%d audit entries for one create and one update", audits)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
