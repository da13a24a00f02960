package visit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

// CompanyIssue is a problem of a company (課題) found at a visit or raised in
// a consultation, followed until it is resolved or dropped.
type CompanyIssue struct {
	ID               int64        `json:"id"`
	Municipality     string       `json:"municipality_code"`
	OrganizationID   int64        `json:"organization_id"`
	OrganizationName string       `json:"organization_name"`
	VisitID          int64        `json:"visit_id,omitempty"`
	ConsultationID   int64        `json:"consultation_id,omitempty"`
	Title            string       `json:"title"`
	Detail           string       `json:"detail,omitempty"`
	Capabilities     []Capability `json:"capabilities"`
	Pillars          []Pillar     `json:"pillars"`
	Measures         []string     `json:"measures"`
	Status           IssueStatus  `json:"status"`
	OwnerID          int64        `json:"owner_id,omitempty"`
	OwnerName        string       `json:"owner_name,omitempty"`
	DueOn            Date         `json:"due_on,omitempty"`
	ResolvedAt       *time.Time   `json:"resolved_at,omitempty"`
	Referrals        []Referral   `json:"referrals,omitempty"`
	Version          int          `json:"version"`
	CreatedBy        int64        `json:"created_by,omitempty"`
	CreatedAt        time.Time    `json:"created_at"`
	UpdatedAt        time.Time    `json:"updated_at"`
}

// Overdue reports whether the issue is still open past its due date.
func (i CompanyIssue) Overdue(today Date) bool { return i.Status.Active() && i.DueOn.Before(today) }

// MeasureList returns the issue's measures from the catalogue.
func (i CompanyIssue) MeasureList() []Measure {
	var out []Measure
	for _, c := range i.Measures {
		if m, ok := MeasureByCode(c); ok {
			out = append(out, m)
		}
	}
	return out
}

// IssueInput is what adding or editing a CompanyIssue takes.
type IssueInput struct {
	OrganizationID int64        `json:"organization_id"`
	VisitID        int64        `json:"visit_id,omitempty"`
	ConsultationID int64        `json:"consultation_id,omitempty"`
	Title          string       `json:"title"`
	Detail         string       `json:"detail"`
	Capabilities   []Capability `json:"capabilities"`
	Pillars        []Pillar     `json:"pillars"`
	Measures       []string     `json:"measures"`
	Status         IssueStatus  `json:"status"`
	OwnerID        int64        `json:"owner_id"`
	DueOn          Date         `json:"due_on"`
}

const issueColumns = `i.id, i.municipality_code, i.organization_id, o.name, i.visit_id, i.consultation_id, i.title, i.detail,
	i.capabilities, i.pillars, i.measures, i.status, i.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on,
	i.resolved_at, i.version, i.created_by, i.created_at, i.updated_at`

const issueFrom = ` FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id`

func scanIssue(row interface{ Scan(...any) error }) (CompanyIssue, error) {
	var i CompanyIssue
	var visit, cons, owner, createdBy sql.NullInt64
	var caps, pillars int
	var measures string
	var resolved sql.NullTime
	err := row.Scan(&i.ID, &i.Municipality, &i.OrganizationID, &i.OrganizationName, &visit, &cons, &i.Title, &i.Detail,
		&caps, &pillars, &measures, &i.Status, &owner, &i.OwnerName, &i.DueOn, &resolved, &i.Version, &createdBy, &i.CreatedAt, &i.UpdatedAt)
	if err != nil {
		return i, err
	}
	i.VisitID, i.ConsultationID, i.OwnerID, i.CreatedBy = visit.Int64, cons.Int64, owner.Int64, createdBy.Int64
	i.Capabilities, i.Pillars, i.ResolvedAt = capsOf(caps), pillarsOf(pillars), timePtr(resolved)
	if err := json.Unmarshal([]byte(measures), &i.Measures); err != nil {
		return i, err
	}
	if i.Measures == nil {
		i.Measures = []string{}
	}
	return i, nil
}

func (s *Service) loadIssue(ctx context.Context, q store.Querier, a auth.Actor, id int64) (CompanyIssue, error) {
	i, err := scanIssue(q.QueryRowContext(ctx, s.q.IssueByID, id, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return i, errIssueNotFound
	}
	return i, errs.Wrap(err, "load company issue")
}

// issuesWhere lists the issues a query selects by one id (a visit, a consultation).
func (s *Service) issuesWhere(ctx context.Context, q store.Querier, a auth.Actor, query string, id int64) ([]CompanyIssue, error) {
	rows, err := q.QueryContext(ctx, query, id, a.Municipality)
	if err != nil {
		return nil, errs.Wrap(err, "list company issues")
	}
	defer rows.Close()
	out := []CompanyIssue{}
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// GetIssue returns a CompanyIssue with the referrals that answer it (staff
// and coordinators only).
func (s *Service) GetIssue(ctx context.Context, a auth.Actor, id int64) (CompanyIssue, error) {
	if !seesAll(a) {
		return CompanyIssue{}, errIssueNotFound
	}
	i, err := s.loadIssue(ctx, s.db.R, a, id)
	if err != nil {
		return i, err
	}
	i.Referrals, err = s.referralsWhere(ctx, s.db.R, a, s.q.ReferralsOfIssue, id)
	return i, err
}

// checkIssue cleans and checks an issue; prefix names the fields inside a
// visit's form ("new_issues[0].").
func (s *Service) checkIssue(ctx context.Context, a auth.Actor, in *IssueInput, prefix string, fe *errs.Fields, inVisit bool) error {
	c := checker{*fe}
	defer func() { *fe = c.Fields }()
	if !inVisit {
		if _, err := s.checkCompany(ctx, s.db.R, a, prefix+"organization_id", in.OrganizationID, &c.Fields); err != nil {
			return err
		}
		if in.VisitID != 0 {
			v, err := s.loadVisit(ctx, s.db.R, a, in.VisitID)
			if err != nil || v.OrganizationID != in.OrganizationID {
				c.Add(prefix+"visit_id", "この企業の訪問記録が見つかりません", "No such visit of this company")
			}
		}
		if in.ConsultationID != 0 {
			k, err := s.loadConsultation(ctx, s.db.R, a, in.ConsultationID)
			if err != nil || k.OrganizationID != in.OrganizationID {
				c.Add(prefix+"consultation_id", "この企業の相談が見つかりません", "No such consultation of this company")
			}
		}
	}
	c.line(prefix+"title", &in.Title, maxTitle, true, "課題", "issue")
	c.text(prefix+"detail", &in.Detail, maxNotes, "課題の詳細", "details")
	c.caps(prefix+"capabilities", in.Capabilities)
	c.pillars(prefix+"pillars", in.Pillars)
	in.Capabilities, in.Pillars = capsOf(capBits(in.Capabilities)), pillarsOf(pillarBits(in.Pillars))
	var measures []string
	for _, m := range in.Measures {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if _, ok := MeasureByCode(m); !ok {
			c.Add(prefix+"measures", "施策「"+m+"」は計画にありません", "The measure "+m+" is not in the plan")
			break
		}
		if !slices.Contains(measures, m) {
			measures = append(measures, m)
		}
	}
	if measures == nil {
		measures = []string{}
	}
	in.Measures = measures
	if in.Status == "" {
		in.Status = IssueOpen
	}
	if !slices.Contains(IssueStatuses, in.Status) {
		c.Add(prefix+"status", "状態は 未着手・対応中・解決・見送り（open, in_progress, resolved, dropped）から選んでください", "Status is open, in_progress, resolved or dropped")
	}
	if in.OwnerID == 0 && a.UserID != 0 && a.Role != auth.RoleBank {
		in.OwnerID = a.UserID
	}
	if in.OwnerID != 0 {
		s.checkUser(ctx, s.db.R, a, prefix+"owner_id", in.OwnerID, false, &c.Fields)
	}
	c.date(prefix+"due_on", &in.DueOn, false, 5, s.today(), "期限", "due date")
	return nil
}

func (s *Service) insertIssue(ctx context.Context, tx *sql.Tx, a auth.Actor, in IssueInput) (int64, error) {
	now := s.now()
	measures, _ := json.Marshal(in.Measures)
	var resolved sql.NullTime
	if !in.Status.Active() {
		resolved = sql.NullTime{Time: now, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.q.InsertIssue, a.Municipality, in.OrganizationID, nullInt(in.VisitID), nullInt(in.ConsultationID), in.Title, in.Detail,
		capBits(in.Capabilities), pillarBits(in.Pillars), string(measures), in.Status, nullInt(in.OwnerID), string(in.DueOn), resolved, nullInt(a.UserID), now, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, s.audit(ctx, tx, a, "company_issue.create", "company_issue", id, nil, in)
}

// CreateIssue adds a CompanyIssue.
func (s *Service) CreateIssue(ctx context.Context, a auth.Actor, in IssueInput) (CompanyIssue, error) {
	if !canEdit(a) {
		return CompanyIssue{}, errNoEdit
	}
	var fe errs.Fields
	if err := s.checkIssue(ctx, a, &in, "", &fe, false); err != nil {
		return CompanyIssue{}, err
	}
	if err := fe.Err(); err != nil {
		return CompanyIssue{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) {
		id, err = s.insertIssue(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return CompanyIssue{}, errs.Wrap(err, "save company issue")
	}
	return s.GetIssue(ctx, a, id)
}

// UpdateIssue replaces a CompanyIssue's record (versioned like visits).
func (s *Service) UpdateIssue(ctx context.Context, a auth.Actor, id int64, version int, in IssueInput) (CompanyIssue, error) {
	if !canEdit(a) {
		return CompanyIssue{}, errNoEdit
	}
	cur, err := s.loadIssue(ctx, s.db.R, a, id)
	if err != nil {
		return CompanyIssue{}, err
	}
	// Where an issue came from does not change with an edit.
	in.OrganizationID, in.VisitID, in.ConsultationID = cur.OrganizationID, cur.VisitID, cur.ConsultationID
	var fe errs.Fields
	if err := s.checkIssue(ctx, a, &in, "", &fe, true); err != nil {
		return CompanyIssue{}, err
	}
	if err := fe.Err(); err != nil {
		return CompanyIssue{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadIssue(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict("課題", cur)
		}
		now := s.now()
		resolved := nullTime(cur.ResolvedAt)
		switch {
		case in.Status.Active():
			resolved = sql.NullTime{}
		case !resolved.Valid:
			resolved = sql.NullTime{Time: now, Valid: true}
		}
		measures, _ := json.Marshal(in.Measures)
		err = one(tx.ExecContext(ctx, s.q.UpdateIssue, in.Title, in.Detail, capBits(in.Capabilities), pillarBits(in.Pillars), string(measures),
			in.Status, nullInt(in.OwnerID), string(in.DueOn), resolved, now, id, a.Municipality, version))(func() error { return conflict("課題", cur) })
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "company_issue.update", "company_issue", id, cur, in)
	})
	if err != nil {
		return CompanyIssue{}, errs.Wrap(err, "save company issue")
	}
	return s.GetIssue(ctx, a, id)
}

// IssueQuery selects CompanyIssues.
type IssueQuery struct {
	Status         string // one IssueStatus, "active" (未着手 and 対応中), or "" for all
	OwnerID        int64
	OrganizationID int64
	Overdue        bool // active and past their due date
	FiscalYear     int  // found in this 年度
	Capability     Capability
	Pillar         Pillar
	Measure        string
	Q              string // words in the title or the company's name
	Sort           string // "due" (default: soonest due first, undated last), "newest"
	Page, PerPage  int
}

var issueSorts = map[string]string{
	"due":    "CASE WHEN i.due_on = '' THEN 1 ELSE 0 END, i.due_on, i.id",
	"newest": "i.created_at DESC, i.id DESC",
}

// ListIssues returns a page of the municipality's CompanyIssues.
func (s *Service) ListIssues(ctx context.Context, a auth.Actor, q IssueQuery) (Page[CompanyIssue], error) {
	res := Page[CompanyIssue]{Items: []CompanyIssue{}}
	if !seesAll(a) {
		return res, errNoRead
	}
	var fe errs.Fields
	order, ok := issueSorts[q.Sort]
	if q.Sort == "" {
		order, ok = issueSorts["due"], true
	}
	if !ok {
		fe.Add("sort", "並び順は due か newest です", "Sort is due or newest")
	}
	if q.Status != "" && q.Status != "active" && !slices.Contains(IssueStatuses, IssueStatus(q.Status)) {
		fe.Add("status", "状態は open, in_progress, resolved, dropped, active のいずれかです", "Status is open, in_progress, resolved, dropped or active")
	}
	if q.Capability != "" && capBits([]Capability{q.Capability}) == 0 {
		fe.Add("capability", "能力の分類が正しくありません", "Unknown capability")
	}
	if q.Pillar != 0 && (q.Pillar < 1 || q.Pillar > 5) {
		fe.Add("pillar", "計画の柱は1から5です", "Pillars are 1 to 5")
	}
	if q.FiscalYear != 0 && (q.FiscalYear < 2000 || q.FiscalYear > 2100) {
		fe.Add("fiscal_year", "年度は2000から2100の間で指定してください", "The fiscal year must be between 2000 and 2100")
	}
	if len([]rune(q.Q)) > 200 {
		fe.Add("q", "検索語は200文字以内にしてください", "The search text must be at most 200 characters")
	}
	checkPaging(&fe, &q.Page, &q.PerPage)
	if err := fe.Err(); err != nil {
		return res, err
	}
	where := []string{"i.municipality_code = ?"}
	args := []any{a.Municipality}
	switch {
	case q.Status == "active" || q.Overdue:
		where = append(where, "i.status IN ('open','in_progress')")
	case q.Status != "":
		where = append(where, "i.status = ?")
		args = append(args, q.Status)
	}
	if q.Overdue {
		where = append(where, "i.due_on <> ''", "i.due_on < ?")
		args = append(args, string(s.today()))
	}
	if q.OwnerID != 0 {
		where = append(where, "i.owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if q.OrganizationID != 0 {
		where = append(where, "i.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.FiscalYear != 0 {
		from, to := jp.FiscalYearRange(q.FiscalYear)
		where = append(where, "i.created_at >= ?", "i.created_at < ?")
		args = append(args, from.UTC(), to.UTC())
	}
	if q.Capability != "" {
		where = append(where, "(i.capabilities & ?) <> 0")
		args = append(args, capBits([]Capability{q.Capability}))
	}
	if q.Pillar != 0 {
		where = append(where, "(i.pillars & ?) <> 0")
		args = append(args, pillarBits([]Pillar{q.Pillar}))
	}
	if q.Measure != "" {
		where = append(where, "i.measures LIKE ? ESCAPE '\\'")
		args = append(args, `%"`+escapeLike(q.Measure)+`"%`)
		if s.db.Dialect == store.Postgres {
			where[len(where)-1] = "i.measures::text LIKE ? ESCAPE '\\'"
		}
	}
	for _, w := range strings.Fields(q.Q) {
		if k := jp.Fold(w); k != "" {
			where = append(where, "(o.search_key LIKE ? ESCAPE '\\' OR i.title LIKE ? ESCAPE '\\')")
			args = append(args, "%"+escapeLike(k)+"%", "%"+escapeLike(w)+"%")
		}
	}
	cond := strings.Join(where, " AND ")
	res.Page, res.PerPage = q.Page, q.PerPage
	if err := s.db.R.QueryRowContext(ctx, s.db.Rebind("SELECT COUNT(*) FROM company_issues i JOIN organizations o ON o.id = i.organization_id WHERE "+cond), args...).Scan(&res.Total); err != nil {
		return res, errs.Wrap(err, "count company issues")
	}
	query := fmt.Sprintf("SELECT %s%s WHERE %s ORDER BY %s LIMIT %d OFFSET %d", issueColumns, issueFrom, cond, order, q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return res, errs.Wrap(err, "list company issues")
	}
	defer rows.Close()
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return res, errs.Wrap(err, "read company issue")
		}
		res.Items = append(res.Items, i)
	}
	return res, errs.Wrap(rows.Err(), "list company issues")
}
