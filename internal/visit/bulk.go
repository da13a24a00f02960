package visit

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
)

// Bulk is a body of records written at once: the demo city's history and
// the benchmark's data. It is trusted input — written as given, in one
// transaction, with one audit entry — so only the system may write it.
type Bulk struct {
	Visits        []BulkVisit
	Consultations []BulkConsultation
}

// BulkVisit is a visit with the CompanyIssues found at it.
type BulkVisit struct {
	Visit     VisitInput
	CreatedBy int64
	Issues    []BulkIssue
}

// BulkIssue is a CompanyIssue with the referrals that answer it.
type BulkIssue struct {
	Issue      IssueInput
	CreatedAt  time.Time
	ResolvedAt *time.Time
	Referrals  []ReferralInput
}

// BulkConsultation is a consultation with the issues raised in it and its
// referrals.
type BulkConsultation struct {
	Consultation ConsultationInput
	CreatedBy    int64
	Issues       []BulkIssue
	Referrals    []ReferralInput
}

// BulkCounts says how many records an import wrote.
type BulkCounts struct {
	Visits        int `json:"visits"`
	CompanyIssues int `json:"company_issues"`
	Consultations int `json:"consultations"`
	Referrals     int `json:"referrals"`
}

// Import writes a Bulk into the actor's municipality (system actors only).
func (s *Service) Import(ctx context.Context, a auth.Actor, b Bulk) (BulkCounts, error) {
	var n BulkCounts
	if a.System == "" {
		return n, errs.New(errs.Forbidden, "一括登録はシステムだけが行えます", "Only the system may import in bulk")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
		insVisit, err := prep(s.q.InsertVisit)
		if err != nil {
			return err
		}
		defer insVisit.Close()
		insAtt, err := prep(s.q.InsertAttendee)
		if err != nil {
			return err
		}
		defer insAtt.Close()
		insIssue, err := prep(s.q.InsertIssue)
		if err != nil {
			return err
		}
		defer insIssue.Close()
		insCons, err := prep(s.q.InsertConsultation)
		if err != nil {
			return err
		}
		defer insCons.Close()
		insRef, err := prep(s.q.InsertReferral)
		if err != nil {
			return err
		}
		defer insRef.Close()

		referral := func(r ReferralInput, orgID, consID, issueID int64, caps, pillars int) error {
			at := r.ReferredOn.Time().Add(15 * time.Hour).UTC()
			if _, err := insRef.ExecContext(ctx, a.Municipality, orgID, r.AgencyID, nullInt(consID), nullInt(issueID), r.Measure, string(r.ReferredOn),
				r.Outcome, string(r.FollowUpOn), nullInt(r.OwnerID), r.Notes, caps, pillars, nullInt(r.OwnerID), at, at); err != nil {
				return err
			}
			n.Referrals++
			return nil
		}
		issue := func(bi BulkIssue, orgID, visitID, consID int64, createdBy int64) error {
			in := bi.Issue
			measures, _ := json.Marshal(in.Measures)
			if in.Measures == nil {
				measures = []byte("[]")
			}
			at := bi.CreatedAt.UTC()
			var id int64
			if err := insIssue.QueryRowContext(ctx, a.Municipality, orgID, nullInt(visitID), nullInt(consID), in.Title, in.Detail, capBits(in.Capabilities), pillarBits(in.Pillars),
				string(measures), in.Status, nullInt(in.OwnerID), string(in.DueOn), nullTime(bi.ResolvedAt), nullInt(createdBy), at, at).Scan(&id); err != nil {
				return err
			}
			n.CompanyIssues++
			for _, r := range bi.Referrals {
				if err := referral(r, orgID, 0, id, capBits(in.Capabilities), pillarBits(in.Pillars)); err != nil {
					return err
				}
			}
			return nil
		}
		for _, bv := range b.Visits {
			v := bv.Visit
			company, _ := json.Marshal(nonNil(v.CompanyAttendees))
			other, _ := json.Marshal(nonNil(v.OtherAttendees))
			at := v.StartsAt.UTC()
			created := at.Add(time.Duration(v.Minutes+120) * time.Minute)
			if v.Status == VisitPlanned {
				created = at.AddDate(0, 0, -10)
			}
			var id int64
			if err := insVisit.QueryRowContext(ctx, a.Municipality, v.OrganizationID, v.Status, at, v.Minutes, v.Purpose, capBits(v.Capabilities), pillarBits(v.Pillars),
				v.LifeStage, v.Notes, string(company), string(other), nullInt(bv.CreatedBy), created, created).Scan(&id); err != nil {
				return err
			}
			n.Visits++
			for _, u := range v.AttendeeIDs {
				if _, err := insAtt.ExecContext(ctx, id, u); err != nil {
					return err
				}
			}
			for _, bi := range bv.Issues {
				if bi.CreatedAt.IsZero() {
					bi.CreatedAt = created
				}
				if err := issue(bi, v.OrganizationID, id, 0, bv.CreatedBy); err != nil {
					return err
				}
			}
		}
		for _, bc := range b.Consultations {
			c := bc.Consultation
			caps, pillars := c.Category.tags()
			at := c.ReceivedAt.UTC()
			var id int64
			if err := insCons.QueryRowContext(ctx, a.Municipality, c.OrganizationID, c.Channel, c.Category, c.Subject, c.Request, c.Notes, c.Status,
				nullInt(c.OwnerID), at, string(c.FollowUpOn), capBits(caps), pillarBits(pillars), nullInt(bc.CreatedBy), at, at).Scan(&id); err != nil {
				return err
			}
			n.Consultations++
			for _, bi := range bc.Issues {
				if bi.CreatedAt.IsZero() {
					bi.CreatedAt = at
				}
				if err := issue(bi, c.OrganizationID, 0, id, bc.CreatedBy); err != nil {
					return err
				}
			}
			for _, r := range bc.Referrals {
				if err := referral(r, c.OrganizationID, id, 0, capBits(caps), pillarBits(pillars)); err != nil {
					return err
				}
			}
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "visit.import", Entity: "municipality", EntityID: a.Municipality, After: n})
	})
	if err != nil {
		return BulkCounts{}, errs.Wrap(err, "import visits")
	}
	return n, nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// HasVisits reports whether a municipality has any visit recorded (the
// demo seeds only an empty one).
func (s *Service) HasVisits(ctx context.Context, municipality string) (bool, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, s.q.HasVisits, municipality).Scan(&n)
	return n > 0, err
}
