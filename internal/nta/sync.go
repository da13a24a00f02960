package nta

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// SyncChange is one organization that the NTA data changed.
type SyncChange struct {
	OrganizationID  int64    `json:"organization_id"`
	Municipality    string   `json:"municipality_code"`
	CorporateNumber string   `json:"corporate_number"`
	Name            string   `json:"name"`
	Actions         []string `json:"actions"` // renamed, moved, closed, merged, restored
}

// SyncReport says what a sync did.
type SyncReport struct {
	Checked  int          `json:"checked"`  // organizations with a 法人番号
	Found    int          `json:"found"`    // of them, found in the reference table
	Changes  []SyncChange `json:"changes"`  // organizations changed
	Failures []string     `json:"failures"` // organizations that could not be updated, and why
}

// Sync keeps the registry's organizations that carry a 法人番号 in step with
// the reference table: a corporation renamed or moved gets its new name or
// address, one closed or merged away is archived with the reason (and its
// successor noted), one whose registration was restored comes back. One
// municipality, or all with "". Every change is in the organization's history
// as the work of system:nta.
func Sync(ctx context.Context, db *store.DB, orgs *org.Service, municipality string) (SyncReport, error) {
	var rep SyncReport
	refs, err := orgs.WithCorporateNumber(ctx, municipality)
	if err != nil {
		return rep, err
	}
	rep.Checked = len(refs)
	for start := 0; start < len(refs); start += 500 {
		batch := refs[start:min(start+500, len(refs))]
		corps, err := getMany(ctx, db, batch)
		if err != nil {
			return rep, err
		}
		for _, ref := range batch {
			c, ok := corps[ref.CorporateNumber]
			if !ok {
				continue
			}
			rep.Found++
			a := auth.System("nta", ref.Municipality)
			actions, err := orgs.SyncCorporation(ctx, a, ref.ID, func(o org.Organization) (org.Profile, org.ClosedState) {
				return Apply(c, o)
			})
			if err != nil {
				rep.Failures = append(rep.Failures, fmt.Sprintf("organization %d (%s): %v", ref.ID, ref.CorporateNumber, err))
				continue
			}
			if len(actions) > 0 {
				rep.Changes = append(rep.Changes, SyncChange{OrganizationID: ref.ID, Municipality: ref.Municipality, CorporateNumber: ref.CorporateNumber, Name: c.Name, Actions: actions})
			}
		}
	}
	return rep, nil
}

func getMany(ctx context.Context, db *store.DB, refs []org.CorporateRef) (map[string]Corporation, error) {
	args := make([]any, 0, len(refs))
	for _, r := range refs {
		n, err := strconv.ParseInt(r.CorporateNumber, 10, 64)
		if err == nil {
			args = append(args, n)
		}
	}
	out := map[string]Corporation{}
	if len(args) == 0 {
		return out, nil
	}
	q := selectSQL("corporate_number IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + ")")
	rows, err := db.R.QueryContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCorporation(rows)
		if err != nil {
			return nil, err
		}
		out[c.CorporateNumber] = c
	}
	return out, rows.Err()
}

// Apply returns the profile and closed state an organization should have
// according to the corporation's record. The NTA is the authority on the
// legal name and the registered address; it is not on anything else.
func Apply(c Corporation, o org.Organization) (org.Profile, org.ClosedState) {
	p := o.Profile
	if c.Name != "" && jp.Fold(c.Name) != jp.Fold(p.Name) {
		p.Name = c.Name
		if c.Furigana != "" {
			p.NameKana = c.Furigana
		}
		if c.EnName != "" {
			p.NameEN = c.EnName
		}
	}
	// A different prefecture or city is a move. Within the city, only a move
	// the NTA recorded after our last look counts: people write the same
	// street address in many ways (3-12-5, 三丁目12番5号), which is no move.
	samePlace := c.PrefectureName == p.Address.Prefecture && jp.Fold(c.CityName) == jp.Fold(p.Address.City)
	if c.PrefectureName != "" && (!samePlace || (c.Process == "12" && o.UpdatedAt.Format("2006-01-02") < c.ChangeDate)) {
		p.Address = org.Address{Prefecture: c.PrefectureName, City: c.CityName, Town: c.StreetNumber, CityCode: c.LocalGovCode()}
		if pc := c.PostalCode(); pc != "" {
			p.PostalCode = pc
		}
	}
	var cl org.ClosedState
	if c.Closed() {
		cl = org.ClosedState{ClosedOn: c.CloseDate, Cause: c.CloseCause, Successor: c.SuccessorCorporateNumber}
		if cl.ClosedOn == "" {
			cl.ClosedOn = c.ChangeDate
		}
		reason := CloseCauseLabel(c.CloseCause, "ja")
		if reason == "" {
			reason = ProcessLabel(c.Process, "ja")
		}
		cl.Reason = c.CloseDate + " " + reason
		if c.SuccessorCorporateNumber != "" {
			cl.Reason += "（承継先法人番号 " + c.SuccessorCorporateNumber + "）"
		}
	}
	return p, cl
}
