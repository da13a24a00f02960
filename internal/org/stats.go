package org

import (
	"context"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
)

// Stats are the registry's counts for the staff dashboard.
type Stats struct {
	Active      int          `json:"active"`
	Published   int          `json:"published"`
	Unpublished int          `json:"unpublished"`
	Archived    int          `json:"archived"`
	Submitted   int          `json:"submitted"` // drafts waiting for approval
	Closed      int          `json:"closed"`    // closed according to the NTA data
	ByKind      map[Kind]int `json:"by_kind"`   // active organizations
}

// Stats counts the actor's municipality's organizations.
func (s *Service) Stats(ctx context.Context, a auth.Actor) (Stats, error) {
	st := Stats{ByKind: map[Kind]int{}}
	if !a.Can(auth.PermRegistryRead) {
		return st, errs.New(errs.Forbidden, "集計を見る権限がありません", "You may not see these counts")
	}
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(`SELECT kind, status, published, COALESCE(draft_status, ''), closed_on <> '', COUNT(*)
		FROM organizations WHERE municipality_code = ? GROUP BY kind, status, published, COALESCE(draft_status, ''), closed_on <> ''`), a.Municipality)
	if err != nil {
		return st, errs.Wrap(err, "count organizations")
	}
	defer rows.Close()
	for rows.Next() {
		var kind Kind
		var status Status
		var published, closed bool
		var draft string
		var n int
		if err := rows.Scan(&kind, &status, &published, &draft, &closed, &n); err != nil {
			return st, err
		}
		if closed {
			st.Closed += n
		}
		if status == StatusArchived {
			st.Archived += n
			continue
		}
		st.Active += n
		st.ByKind[kind] += n
		if published {
			st.Published += n
		} else {
			st.Unpublished += n
		}
		if DraftStatus(draft) == DraftSubmitted {
			st.Submitted += n
		}
	}
	return st, rows.Err()
}
