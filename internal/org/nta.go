package org

import (
	"context"
	"database/sql"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/store"
)

// CorporateRef names an organization that carries a 法人番号.
type CorporateRef struct {
	ID              int64
	Municipality    string
	CorporateNumber string
	Version         int
}

// WithCorporateNumber lists the organizations that carry a 法人番号, of one
// municipality or ("") of all.
func (s *Service) WithCorporateNumber(ctx context.Context, municipality string) ([]CorporateRef, error) {
	rows, err := s.db.R.QueryContext(ctx, s.q.OrgsWithCorporateNumber, municipality, municipality)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CorporateRef
	for rows.Next() {
		var r CorporateRef
		if err := rows.Scan(&r.ID, &r.Municipality, &r.CorporateNumber, &r.Version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ClosedState is what the NTA data says about a corporation's end.
type ClosedState struct {
	ClosedOn  string // 閉鎖等年月日, "" while it exists
	Cause     string // 閉鎖等の事由 code
	Successor string // 承継先法人番号 (merger)
	Reason    string // archive reason shown to staff when it closes
}

// ntaArchivePrefix marks archive reasons written by the NTA sync, so that a
// restored registration restores only what the sync archived.
const ntaArchivePrefix = "国税庁法人番号データ: "

// SyncCorporation brings one organization in step with the NTA data: decide
// receives the organization as it is and returns the profile it should have
// (renamed, moved) and its closed state. Everything is written in one
// transaction, with history entries by the actor (the system actor "nta").
// It returns the actions taken.
func (s *Service) SyncCorporation(ctx context.Context, a auth.Actor, id int64, decide func(Organization) (Profile, ClosedState)) ([]string, error) {
	if !a.Can(auth.PermRegistryManage) {
		return nil, errs.New(errs.Forbidden, "法人番号データと同期する権限がありません", "You may not sync with the NTA data")
	}
	tax, err := s.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return nil, err
	}
	var actions []string
	var changed bool
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		actions, changed = nil, false
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		p, closed := decide(cur)
		if err := p.Normalize(tax); err != nil {
			// The NTA's spelling must not make a valid record invalid:
			// keep the organization as it is and say so.
			return errs.Wrap(err, "normalize the NTA's data")
		}
		o, wrote, err := s.writeProfile(ctx, tx, a, cur, p, "organization.nta_update")
		if err != nil {
			return err
		}
		if wrote {
			changed = true
			if p.Name != cur.Profile.Name {
				actions = append(actions, "renamed")
			}
			if p.Address != cur.Profile.Address || p.PostalCode != cur.Profile.PostalCode {
				actions = append(actions, "moved")
			}
		}
		if closed.ClosedOn != "" && o.ClosedOn == "" {
			actions = append(actions, "closed")
			if closed.Successor != "" {
				actions = append(actions, "merged")
			}
			if o.Status == StatusActive {
				if o, err = s.writeStatus(ctx, tx, a, id, -1, StatusArchived, ntaArchivePrefix+closed.Reason); err != nil {
					return err
				}
			}
			changed = true
		}
		if closed.ClosedOn == "" && o.ClosedOn != "" {
			actions = append(actions, "restored")
			if o.Status == StatusArchived && strings.HasPrefix(o.ArchiveReason, ntaArchivePrefix) {
				if _, err = s.writeStatus(ctx, tx, a, id, -1, StatusActive, ""); err != nil {
					return err
				}
			}
			changed = true
		}
		_, err = tx.ExecContext(ctx, s.q.SetNTAState, closed.ClosedOn, closed.Cause, closed.Successor, store.Now(), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if changed {
		s.notify(Change{Municipality: a.Municipality, ID: id, Action: "nta"})
	}
	return actions, nil
}
