package nta_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/municipality"
	"mieruka/internal/nta"
	"mieruka/internal/nta/ntagen"
	"mieruka/internal/org"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

func row(seq int, number, process, name, pref, city, street, close, cause, successor, furigana string) string {
	prefCode, cityCode := "13", "212"
	if city == "八王子市" {
		cityCode = "201"
	}
	return strings.Join([]string{
		itoa(seq), number, process, "0", "2026-04-01", "2026-04-01", name, "", "301", pref, city, street, "", prefCode, cityCode, "1910065", "", "",
		close, cause, successor, "", "2015-10-05", "1", "", "", "", "", furigana, "0",
	}, ",") + "\r\n"
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSyncKeepsRegistryInStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		as, _ := auth.NewService(ctx, db)
		ms := municipality.NewService(db, as)
		os, err := org.NewService(ctx, db, as)
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.System("test", "132128")
		ms.Create(ctx, sys, municipality.Municipality{Code: "132128"})
		os.SeedTaxonomy(ctx, sys, "132128")

		n := []string{ntagen.CorporateNumber(100001), ntagen.CorporateNumber(100002), ntagen.CorporateNumber(100003), ntagen.CorporateNumber(100004), ntagen.CorporateNumber(100005)}
		mk := func(number, name string) org.Organization {
			o, err := os.Create(ctx, sys, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: org.Profile{
				Name: name, CorporateNumber: number, Address: org.Address{Prefecture: "東京都", City: "日野市", Town: "旭が丘3-1-1"}, PostalCode: "191-0065",
			}})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		same := mk(n[0], "株式会社そのまま")
		renamed := mk(n[1], "有限会社旧名称")
		moved := mk(n[2], "株式会社移転")
		closed := mk(n[3], "株式会社閉鎖")
		merged := mk(n[4], "株式会社合併")

		file := row(1, n[0], "01", "株式会社そのまま", "東京都", "日野市", "旭が丘三丁目1番1号", "", "", "", "") +
			row(2, n[1], "11", "株式会社新名称", "東京都", "日野市", "旭が丘3丁目1番1号", "", "", "", "シンメイショウ") +
			row(3, n[2], "12", "株式会社移転", "東京都", "八王子市", "高倉町1番地", "", "", "", "") +
			row(4, n[3], "21", "株式会社閉鎖", "東京都", "日野市", "旭が丘3丁目1番1号", "2026-03-31", "01", "", "") +
			row(5, n[4], "71", "株式会社合併", "東京都", "日野市", "旭が丘3丁目1番1号", "2026-03-31", "11", n[0], "")
		if rep, err := nta.Import(ctx, db, strings.NewReader(file), nta.Options{}); err != nil || rep.Imported != 5 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		rep, err := nta.Sync(ctx, db, os, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Checked != 5 || rep.Found != 5 || len(rep.Failures) != 0 {
			t.Fatalf("sync report: %+v", rep)
		}
		got := map[int64][]string{}
		for _, c := range rep.Changes {
			got[c.OrganizationID] = c.Actions
		}
		want := map[int64][]string{renamed.ID: {"renamed"}, moved.ID: {"moved"}, closed.ID: {"closed"}, merged.ID: {"closed", "merged"}}
		for id, w := range want {
			if !slices.Equal(got[id], w) {
				t.Errorf("organization %d: actions %v, want %v", id, got[id], w)
			}
		}
		if _, ok := got[same.ID]; ok {
			t.Errorf("an unchanged corporation (address written differently) was changed: %v", got[same.ID])
		}
		o, _ := os.Get(ctx, sys, renamed.ID)
		if o.Profile.Name != "株式会社新名称" || o.Profile.NameKana != "シンメイショウ" {
			t.Errorf("renamed: %q %q", o.Profile.Name, o.Profile.NameKana)
		}
		o, _ = os.Get(ctx, sys, moved.ID)
		if o.Profile.Address.City != "八王子市" || o.Profile.Address.CityCode != "132012" {
			t.Errorf("moved: %+v", o.Profile.Address)
		}
		o, _ = os.Get(ctx, sys, merged.ID)
		if o.Status != org.StatusArchived || o.SuccessorCorporateNumber != n[0] || !strings.Contains(o.ArchiveReason, "合併") {
			t.Errorf("merged: %s %q %q", o.Status, o.SuccessorCorporateNumber, o.ArchiveReason)
		}
		h, _ := os.History(ctx, sys, renamed.ID)
		if h[0].Action != "organization.nta_update" || h[0].Actor != "system:nta" {
			t.Errorf("history: %+v", h[0])
		}
		// A second sync changes nothing.
		rep, _ = nta.Sync(ctx, db, os, "")
		if len(rep.Changes) != 0 {
			t.Errorf("second sync changed %v", rep.Changes)
		}
		// The closed registration is restored (登記記録の復活等).
		restore := row(6, n[3], "22", "株式会社閉鎖", "東京都", "日野市", "旭が丘3丁目1番1号", "", "", "", "")
		nta.Import(ctx, db, strings.NewReader(restore), nta.Options{})
		rep, _ = nta.Sync(ctx, db, os, "132128")
		if len(rep.Changes) != 1 || !slices.Equal(rep.Changes[0].Actions, []string{"restored"}) {
			t.Errorf("restore: %+v", rep.Changes)
		}
		o, _ = os.Get(ctx, sys, closed.ID)
		if o.Status != org.StatusActive || o.ClosedOn != "" {
			t.Errorf("restored: %s %q", o.Status, o.ClosedOn)
		}
	})
}
