package app_test

import (
	"context"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/nta"
	"mieruka/internal/store"
)

// TestDemoCorporations: the demo city's reference table of corporations
// holds every demo company with a 法人番号, as registered, and corporations
// that are not registered yet (for 法人番号検索 and autofill); syncing the
// registry with it changes nothing.
func TestDemoCorporations(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			a := start(t, d)
			ctx := context.Background()
			first, err := a.m.Orgs.GetByExternalID(ctx, auth.System("t", demo.Hino), demo.FirstOrg)
			if err != nil || first.Profile.CorporateNumber == "" {
				t.Fatalf("%s: %v %q", demo.FirstOrg, err, first.Profile.CorporateNumber)
			}
			c, err := nta.Get(ctx, a.m.DB, first.Profile.CorporateNumber)
			if err != nil || c.Name != first.Profile.Name || c.Furigana != first.Profile.NameKana || c.CityName != first.Profile.Address.City {
				t.Errorf("the reference row of %s: %+v, %v", first.Profile.Name, c, err)
			}
			n, err := nta.Count(ctx, a.m.DB)
			if err != nil || n < 600 {
				t.Errorf("%d corporations, %v", n, err)
			}
			rep, err := nta.Sync(ctx, a.m.DB, a.m.Orgs, demo.Hino)
			if err != nil || rep.Found == 0 || rep.Found != rep.Checked || len(rep.Changes) != 0 || len(rep.Failures) != 0 {
				t.Errorf("sync: %+v, %v", rep, err)
			}
		})
	}
}
