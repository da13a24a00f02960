package visit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// Referral is a company referred (紹介・取次ぎ) to a support agency or bank,
// answering a consultation or a CompanyIssue, with what came of it.
type Referral struct {
	ID               int64     `json:"id"`
	Municipality     string    `json:"municipality_code"`
	OrganizationID   int64     `json:"organization_id"`
	OrganizationName string    `json:"organization_name"`
	AgencyID         int64     `json:"agency_id"`
	AgencyName       string    `json:"agency_name"`
	ConsultationID   int64     `json:"consultation_id,omitempty"`
	Subject          string    `json:"subject,omitempty"` // the consultation's subject, or the issue's title for staff
	IssueID          int64     `json:"issue_id,omitempty"`
	Measure          string    `json:"measure,omitempty"`
	ReferredOn       Date      `json:"referred_on"`
	Outcome          Outcome   `json:"outcome"`
	FollowUpOn       Date      `json:"follow_up_on,omitempty"`
	OwnerID          int64     `json:"owner_id,omitempty"`
	OwnerName        string    `json:"owner_name,omitempty"`
	Notes            string    `json:"notes,omitempty"`
	Version          int       `json:"version"`
	CreatedBy        int64     `json:"created_by,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Overdue reports whether an open referral is past its follow-up date.
func (r Referral) Overdue(today Date) bool { return r.Outcome.Open() && r.FollowUpOn.Before(today) }

// memberReferral is what a company's member sees of a referral to it: to
// whom and how it stands — not the notes, not who in the city handles it
// internally, not the internal issue it answers.
func memberReferral(r Referral) Referral {
	r.Notes, r.CreatedBy = "", 0
	if r.ConsultationID == 0 {
		r.Subject = ""
	}
	r.IssueID, r.Measure = 0, ""
	return r
}

// ReferralInput is what making or editing a referral takes. The company is
// the consultation's or the issue's when one is given.
type ReferralInput struct {
	OrganizationID int64   `json:"organization_id"`
	AgencyID       int64   `json:"agency_id"`
	ConsultationID int64   `json:"consultation_id,omitempty"`
	IssueID        int64   `json:"issue_id,omitempty"`
	Measure        string  `json:"measure"`
	ReferredOn     Date    `json:"referred_on"`
	Outcome        Outcome `json:"outcome"`
	FollowUpOn     Date    `json:"follow_up_on"`
	OwnerID        int64   `json:"owner_id"`
	Notes          string  `json:"notes"`
}

const referralColumns = `r.id, r.municipality_code, r.organization_id, o.name, r.agency_id, ag.name, r.consultation_id,
	COALESCE(c.subject, i.title, ''), r.issue_id, r.measure, r.referred_on, r.outcome, r.follow_up_on, r.owner_id,
	COALESCE(NULLIF(ou.name, ''), ou.email, ''), r.notes, r.version, r.created_by, r.created_at, r.updated_at`

const referralFrom = ` FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN consultations c ON c.id = r.consultation_id LEFT JOIN company_issues i ON i.id = r.issue_id LEFT JOIN users ou ON ou.id = r.owner_id`

func scanReferral(row interface{ Scan(...any) error }) (Referral, error) {
	var r Referral
	var cons, issue, owner, createdBy sql.NullInt64
	err := row.Scan(&r.ID, &r.Municipality, &r.OrganizationID, &r.OrganizationName, &r.AgencyID, &r.AgencyName, &cons,
		&r.Subject, &issue, &r.Measure, &r.ReferredOn, &r.Outcome, &r.FollowUpOn, &owner, &r.OwnerName, &r.Notes, &r.Version, &createdBy, &r.CreatedAt, &r.UpdatedAt)
	r.ConsultationID, r.IssueID, r.OwnerID, r.CreatedBy = cons.Int64, issue.Int64, owner.Int64, createdBy.Int64
	return r, err
}

func (s *Service) loadReferral(ctx context.Context, q store.Querier, a auth.Actor, id int64) (Referral, error) {
	r, err := scanReferral(q.QueryRowContext(ctx, s.q.ReferralByID, id, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errReferralNotFound
	}
	return r, errs.Wrap(err, "load referral")
}

func (s *Service) referralsWhere(ctx context.Context, q store.Querier, a auth.Actor, query string, id int64) ([]Referral, error) {
	rows, err := q.QueryContext(ctx, query, id, a.Municipality)
	if err != nil {
		return nil, errs.Wrap(err, "list referrals")
	}
	defer rows.Close()
	out := []Referral{}
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func viewReferral(a auth.Actor, r Referral) (Referral, error) {
	switch {
	case seesAll(a):
		return r, nil
	case isMember(a) && a.OrganizationID == r.OrganizationID:
		return memberReferral(r), nil
	}
	return Referral{}, errReferralNotFound
}

// GetReferral returns a referral as the actor may see it.
func (s *Service) GetReferral(ctx context.Context, a auth.Actor, id int64) (Referral, error) {
	if !seesAll(a) && !isMember(a) {
		return Referral{}, errReferralNotFound
	}
	r, err := s.loadReferral(ctx, s.db.R, a, id)
	if err != nil {
		return r, err
	}
	return viewReferral(a, r)
}

func (s *Service) checkReferral(ctx context.Context, a auth.Actor, in *ReferralInput, creating bool) error {
	var c checker
	if creating {
		switch {
		case in.ConsultationID != 0:
			k, err := s.loadConsultation(ctx, s.db.R, a, in.ConsultationID)
			if err != nil {
				c.Add("consultation_id", "相談が見つかりません", "No such consultation")
			} else {
				in.OrganizationID = k.OrganizationID
			}
		case in.IssueID != 0:
			i, err := s.loadIssue(ctx, s.db.R, a, in.IssueID)
			if err != nil {
				c.Add("issue_id", "課題が見つかりません", "No such company issue")
			} else {
				in.OrganizationID = i.OrganizationID
			}
		}
		if in.ConsultationID != 0 && in.IssueID != 0 {
			if i, err := s.loadIssue(ctx, s.db.R, a, in.IssueID); err != nil || i.OrganizationID != in.OrganizationID {
				c.Add("issue_id", "課題が相談と別の企業のものです", "The issue belongs to another company than the consultation")
			}
		}
		if !c.Has("consultation_id") && !c.Has("issue_id") {
			if _, err := s.checkCompany(ctx, s.db.R, a, "organization_id", in.OrganizationID, &c.Fields); err != nil {
				return err
			}
		}
	}
	if in.AgencyID <= 0 {
		c.Add("agency_id", "紹介先の支援機関・金融機関を選んでください", "Choose the agency or bank")
	} else if ag, err := s.orgOf(ctx, s.db.R, a, in.AgencyID); errs.Is(err, errs.NotFound) {
		c.Add("agency_id", "この紹介先は登録されていません", "This agency is not in the registry")
	} else if err != nil {
		return err
	} else if ag.Kind != org.KindAgency && ag.Kind != org.KindBank {
		c.Add("agency_id", "紹介先は支援機関か金融機関にしてください", "Refer to a support agency or a bank")
	}
	if in.Measure = strings.TrimSpace(in.Measure); in.Measure != "" {
		if _, ok := MeasureByCode(in.Measure); !ok {
			c.Add("measure", "施策「"+in.Measure+"」は計画にありません", "The measure "+in.Measure+" is not in the plan")
		}
	}
	if in.ReferredOn == "" {
		in.ReferredOn = s.today()
	}
	c.date("referred_on", &in.ReferredOn, true, 0, s.today().AddDays(1), "紹介日", "date of the referral")
	if in.Outcome == "" {
		in.Outcome = OutcomeAccepted
	}
	if !slices.Contains(Outcomes, in.Outcome) {
		c.Add("outcome", "結果は 受付済・対応中・完了・不調（accepted, in_progress, completed, failed）から選んでください", "Outcome is accepted, in_progress, completed or failed")
	}
	c.date("follow_up_on", &in.FollowUpOn, false, 3, s.today(), "フォローアップ予定日", "follow-up date")
	if in.OwnerID == 0 && a.UserID != 0 && seesAll(a) {
		in.OwnerID = a.UserID
	}
	if in.OwnerID != 0 {
		s.checkUser(ctx, s.db.R, a, "owner_id", in.OwnerID, false, &c.Fields)
	}
	c.text("notes", &in.Notes, maxNotes, "メモ", "notes")
	return c.Err()
}

// tagsFor are the capabilities and pillars a referral counts under: its
// issue's, else its consultation's category's.
func (s *Service) tagsFor(ctx context.Context, q store.Querier, a auth.Actor, in ReferralInput) (int, int) {
	if in.IssueID != 0 {
		if i, err := s.loadIssue(ctx, q, a, in.IssueID); err == nil && (len(i.Capabilities) > 0 || len(i.Pillars) > 0) {
			return capBits(i.Capabilities), pillarBits(i.Pillars)
		}
	}
	if in.ConsultationID != 0 {
		if k, err := s.loadConsultation(ctx, q, a, in.ConsultationID); err == nil {
			c, p := k.Category.tags()
			return capBits(c), pillarBits(p)
		}
	}
	if m, ok := MeasureByCode(in.Measure); ok {
		return 0, pillarBits([]Pillar{m.Pillar})
	}
	return 0, 0
}

// CreateReferral records a referral. Its consultation becomes 紹介済み and
// its issue 対応中 when they were still waiting, in the same transaction.
func (s *Service) CreateReferral(ctx context.Context, a auth.Actor, in ReferralInput) (Referral, error) {
	if !canEdit(a) {
		return Referral{}, errNoEdit
	}
	if err := s.checkReferral(ctx, a, &in, true); err != nil {
		return Referral{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		caps, pillars := s.tagsFor(ctx, tx, a, in)
		err := tx.QueryRowContext(ctx, s.q.InsertReferral, a.Municipality, in.OrganizationID, in.AgencyID, nullInt(in.ConsultationID), nullInt(in.IssueID),
			in.Measure, string(in.ReferredOn), in.Outcome, string(in.FollowUpOn), nullInt(in.OwnerID), in.Notes, caps, pillars, nullInt(a.UserID), now, now).Scan(&id)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "referral.create", "referral", id, nil, in); err != nil {
			return err
		}
		if in.ConsultationID != 0 {
			res, err := tx.ExecContext(ctx, s.q.SetConsultReferred, now, in.ConsultationID, a.Municipality)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				if err := s.audit(ctx, tx, a, "consultation.referred", "consultation", in.ConsultationID, nil, map[string]any{"status": ConsReferred, "referral_id": id}); err != nil {
					return err
				}
			}
		}
		if in.IssueID != 0 {
			res, err := tx.ExecContext(ctx, s.q.SetIssueInProgress, now, in.IssueID, a.Municipality)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				return s.audit(ctx, tx, a, "company_issue.referred", "company_issue", in.IssueID, nil, map[string]any{"status": IssueInProgress, "referral_id": id})
			}
		}
		return nil
	})
	if err != nil {
		return Referral{}, errs.Wrap(err, "save referral")
	}
	return s.GetReferral(ctx, a, id)
}

// UpdateReferral records a referral's outcome and follow-up (versioned).
func (s *Service) UpdateReferral(ctx context.Context, a auth.Actor, id int64, version int, in ReferralInput) (Referral, error) {
	if !canEdit(a) {
		return Referral{}, errNoEdit
	}
	cur, err := s.loadReferral(ctx, s.db.R, a, id)
	if err != nil {
		return Referral{}, err
	}
	in.OrganizationID, in.ConsultationID, in.IssueID = cur.OrganizationID, cur.ConsultationID, cur.IssueID
	if err := s.checkReferral(ctx, a, &in, false); err != nil {
		return Referral{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadReferral(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict("紹介", cur)
		}
		err = one(tx.ExecContext(ctx, s.q.UpdateReferral, in.AgencyID, in.Measure, string(in.ReferredOn), in.Outcome, string(in.FollowUpOn),
			nullInt(in.OwnerID), in.Notes, s.now(), id, a.Municipality, version))(func() error { return conflict("紹介", cur) })
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "referral.update", "referral", id, cur, in)
	})
	if err != nil {
		return Referral{}, errs.Wrap(err, "save referral")
	}
	return s.GetReferral(ctx, a, id)
}

// ReferralQuery selects referrals.
type ReferralQuery struct {
	Outcome        string // one outcome, "open" (受付済 and 対応中), or "" for all
	AgencyID       int64
	OwnerID        int64
	OrganizationID int64
	FiscalYear     int
	Overdue        bool // open and past the follow-up date
	Page, PerPage  int
}

// ListReferrals returns a page of referrals, newest first: all of the
// municipality's for staff, their own company's for a member.
func (s *Service) ListReferrals(ctx context.Context, a auth.Actor, q ReferralQuery) (Page[Referral], error) {
	res := Page[Referral]{Items: []Referral{}}
	if !seesAll(a) && !isMember(a) {
		return res, errNoRead
	}
	var fe errs.Fields
	if q.Outcome != "" && q.Outcome != "open" && !slices.Contains(Outcomes, Outcome(q.Outcome)) {
		fe.Add("outcome", "結果は accepted, in_progress, completed, failed, open のいずれかです", "Outcome is accepted, in_progress, completed, failed or open")
	}
	if q.FiscalYear != 0 && (q.FiscalYear < 2000 || q.FiscalYear > 2100) {
		fe.Add("fiscal_year", "年度は2000から2100の間で指定してください", "The fiscal year must be between 2000 and 2100")
	}
	checkPaging(&fe, &q.Page, &q.PerPage)
	if err := fe.Err(); err != nil {
		return res, err
	}
	if !seesAll(a) {
		q.OrganizationID = a.OrganizationID
	}
	where := []string{"r.municipality_code = ?"}
	args := []any{a.Municipality}
	switch {
	case q.Outcome == "open" || q.Overdue:
		where = append(where, "r.outcome IN ('accepted','in_progress')")
	case q.Outcome != "":
		where = append(where, "r.outcome = ?")
		args = append(args, q.Outcome)
	}
	if q.Overdue {
		where = append(where, "r.follow_up_on <> ''", "r.follow_up_on < ?")
		args = append(args, string(s.today()))
	}
	if q.AgencyID != 0 {
		where = append(where, "r.agency_id = ?")
		args = append(args, q.AgencyID)
	}
	if q.OwnerID != 0 {
		where = append(where, "r.owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if q.OrganizationID != 0 {
		where = append(where, "r.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.FiscalYear != 0 {
		where = append(where, "r.referred_on >= ?", "r.referred_on < ?")
		args = append(args, fmt.Sprintf("%04d-04-01", q.FiscalYear), fmt.Sprintf("%04d-04-01", q.FiscalYear+1))
	}
	cond := strings.Join(where, " AND ")
	res.Page, res.PerPage = q.Page, q.PerPage
	if err := s.db.R.QueryRowContext(ctx, s.db.Rebind("SELECT COUNT(*) FROM referrals r WHERE "+cond), args...).Scan(&res.Total); err != nil {
		return res, errs.Wrap(err, "count referrals")
	}
	query := fmt.Sprintf("SELECT %s%s WHERE %s ORDER BY r.referred_on DESC, r.id DESC LIMIT %d OFFSET %d", referralColumns, referralFrom, cond, q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return res, errs.Wrap(err, "list referrals")
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return res, errs.Wrap(err, "read referral")
		}
		if v, err := viewReferral(a, r); err == nil {
			res.Items = append(res.Items, v)
		}
	}
	return res, errs.Wrap(rows.Err(), "list referrals")
}

// Agency is a support agency or bank of the directory, with what the city
// has referred to it.
type Agency struct {
	Organization org.Organization `json:"organization"`
	Referrals    int              `json:"referrals"`      // in all
	OpenCount    int              `json:"open_referrals"` // 受付済 or 対応中
	Completed    int              `json:"completed_referrals"`
	Matches      bool             `json:"matches,omitempty"` // handles the category asked for
}

// Handles reports whether the agency's specialties name the category.
func (g Agency) Handles(c Category) bool {
	for _, sp := range append(append([]string{}, g.Organization.Profile.Specialties...), g.Organization.Profile.Markets...) {
		for _, k := range c.Keywords() {
			if strings.Contains(strings.ToUpper(sp), strings.ToUpper(k)) {
				return true
			}
		}
	}
	return false
}

// Agencies is the directory of the municipality's support agencies and
// banks with their specialties and contacts; with a category, the ones
// whose specialties fit it come first.
func (s *Service) Agencies(ctx context.Context, a auth.Actor, category Category) ([]Agency, error) {
	if !seesAll(a) {
		return nil, errNoRead
	}
	var out []Agency
	for _, k := range []org.Kind{org.KindAgency, org.KindBank} {
		res, err := s.orgs.List(ctx, a, org.ListQuery{Kind: k, PerPage: 500})
		if err != nil {
			return nil, err
		}
		for _, o := range res.Items {
			out = append(out, Agency{Organization: o})
		}
	}
	counts := map[int64][3]int{}
	rows, err := s.db.R.QueryContext(ctx, s.q.ReferralsByAgency, a.Municipality)
	if err != nil {
		return nil, errs.Wrap(err, "count referrals")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n [3]int
		if err := rows.Scan(&id, &n[0], &n[1], &n[2]); err != nil {
			return nil, err
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		n := counts[out[i].Organization.ID]
		out[i].Referrals, out[i].OpenCount, out[i].Completed = n[0], n[1], n[2]
		if category != "" {
			out[i].Matches = out[i].Handles(category)
		}
	}
	slices.SortStableFunc(out, func(x, y Agency) int {
		if x.Matches != y.Matches {
			if x.Matches {
				return -1
			}
			return 1
		}
		if x.Organization.Kind != y.Organization.Kind {
			return strings.Compare(string(x.Organization.Kind), string(y.Organization.Kind))
		}
		return 0
	})
	return out, nil
}

// fiscalDateRange is 年度 fy as a range of Dates [from, to).
func fiscalDateRange(fy int) (Date, Date) {
	from, to := jp.FiscalYearRange(fy)
	return DateOf(from), DateOf(to)
}
