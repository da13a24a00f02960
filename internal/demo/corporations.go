package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"mieruka/internal/jp"
	"mieruka/internal/nta"
	"mieruka/internal/nta/ntagen"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// extraCorporations is how many made-up corporations of the area the demo's
// reference table holds beside the demo companies.
const extraCorporations = 600

// seedCorporations fills an empty reference table of corporations (the
// NTA's corporate-number data) with a small stand-in for the real bulk
// file: a row for every demo company that has a 法人番号, as it is
// registered, and made-up corporations of the area that are not in the
// registry yet — so that 法人番号検索 and the autofill of a new organization
// work in the demo. `mieruka import nta FILE` adds the real file.
func seedCorporations(ctx context.Context, db *store.DB, orgs []org.NewOrganization) error {
	if empty, err := nta.Empty(ctx, db); err != nil || !empty {
		return err
	}
	var buf bytes.Buffer
	seq := 0
	for _, o := range orgs {
		p := o.Profile
		if o.Kind != org.KindCompany || p.CorporateNumber == "" {
			continue
		}
		seq++
		code, _ := jp.MunicipalityCodeByName(p.Address.City)
		prefCode, cityCode := "", ""
		if len(code) == 6 {
			prefCode, cityCode = code[:2], code[2:5]
		}
		const day = "2025-04-01"
		fields := []string{
			fmt.Sprint(seq), p.CorporateNumber, "01", "0", day, day, p.Name, "", legalFormKind(p.Name),
			p.Address.Prefecture, p.Address.City, p.Address.Town, "", prefCode, cityCode, strings.ReplaceAll(p.PostalCode, "-", ""), "", "",
			"", "", "", "", "2015-10-05", "1",
			"", "", "", "", p.NameKana, "0",
		}
		if err := ntagen.WriteRow(&buf, fields); err != nil {
			return err
		}
	}
	if err := ntagen.Write(&buf, extraCorporations, ntagen.Options{Seed: 2026}); err != nil {
		return err
	}
	rep, err := nta.Import(ctx, db, &buf, nta.Options{})
	if err != nil {
		return err
	}
	if rep.Bad > 0 {
		return fmt.Errorf("demo corporations: %d bad rows, first: %v", rep.Bad, rep.Errors[0])
	}
	return nil
}

// legalFormKind is the NTA's 法人種別 code of a company name's legal form
// (株式会社 when it names none of the others).
func legalFormKind(name string) string {
	for _, code := range []string{"302", "303", "304", "305"} {
		if strings.Contains(name, nta.KindLabel(code)) {
			return code
		}
	}
	return "301"
}
