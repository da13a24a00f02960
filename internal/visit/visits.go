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

// Attendee is an account that attended (or will attend) a visit.
type Attendee struct {
	UserID int64     `json:"user_id"`
	Name   string    `json:"name"`
	Role   auth.Role `json:"role"`
}

// Visit is one company visit (企業訪問), planned or done.
type Visit struct {
	ID               int64        `json:"id"`
	Municipality     string       `json:"municipality_code"`
	OrganizationID   int64        `json:"organization_id"`
	OrganizationName string       `json:"organization_name"`
	Status           VisitStatus  `json:"status"`
	StartsAt         time.Time    `json:"starts_at"`
	Minutes          int          `json:"minutes"`
	Purpose          string       `json:"purpose"`
	Capabilities     []Capability `json:"capabilities"`
	Pillars          []Pillar     `json:"pillars"`
	LifeStage        LifeStage    `json:"life_stage,omitempty"`
	Notes            string       `json:"notes,omitempty"`
	// NotesHidden says the viewer (bank staff) may not see the notes and
	// the issues found.
	NotesHidden      bool           `json:"notes_hidden,omitempty"`
	Attendees        []Attendee     `json:"attendees"`
	CompanyAttendees []string       `json:"company_attendees"`
	OtherAttendees   []string       `json:"other_attendees"`
	Issues           []CompanyIssue `json:"company_issues,omitempty"`
	Version          int            `json:"version"`
	CreatedBy        int64          `json:"created_by,omitempty"`
	CreatedByName    string         `json:"created_by_name,omitempty"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
}

// FiscalYear is the 年度 of the visit.
func (v Visit) FiscalYear() int { return jp.FiscalYear(v.StartsAt) }

// EndsAt is when the visit ends.
func (v Visit) EndsAt() time.Time { return v.StartsAt.Add(time.Duration(v.Minutes) * time.Minute) }

// Attended reports whether the user is among the attendees.
func (v Visit) Attended(userID int64) bool {
	for _, x := range v.Attendees {
		if x.UserID == userID {
			return true
		}
	}
	return false
}

// VisitInput is what recording or editing a visit takes. NewIssues are the
// CompanyIssues found at the visit, saved with it in one transaction.
type VisitInput struct {
	OrganizationID   int64        `json:"organization_id"`
	Status           VisitStatus  `json:"status"`
	StartsAt         time.Time    `json:"starts_at"`
	Minutes          int          `json:"minutes"`
	Purpose          string       `json:"purpose"`
	Capabilities     []Capability `json:"capabilities"`
	Pillars          []Pillar     `json:"pillars"`
	LifeStage        LifeStage    `json:"life_stage"`
	Notes            string       `json:"notes"`
	AttendeeIDs      []int64      `json:"attendee_ids"`
	CompanyAttendees []string     `json:"company_attendees"`
	OtherAttendees   []string     `json:"other_attendees"`
	NewIssues        []IssueInput `json:"new_issues,omitempty"`
}

const visitColumns = `v.id, v.municipality_code, v.organization_id, o.name, v.status, v.starts_at, v.minutes, v.purpose,
	v.capabilities, v.pillars, v.life_stage, v.notes, v.company_attendees, v.other_attendees, v.version, v.created_by,
	COALESCE(NULLIF(cu.name, ''), cu.email, ''), v.created_at, v.updated_at`

const visitFrom = ` FROM visits v JOIN organizations o ON o.id = v.organization_id LEFT JOIN users cu ON cu.id = v.created_by`

func scanVisit(row interface{ Scan(...any) error }) (Visit, error) {
	var v Visit
	var caps, pillars int
	var company, other string
	var createdBy sql.NullInt64
	err := row.Scan(&v.ID, &v.Municipality, &v.OrganizationID, &v.OrganizationName, &v.Status, &v.StartsAt, &v.Minutes, &v.Purpose,
		&caps, &pillars, &v.LifeStage, &v.Notes, &company, &other, &v.Version, &createdBy, &v.CreatedByName, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return v, err
	}
	v.Capabilities, v.Pillars, v.CreatedBy = capsOf(caps), pillarsOf(pillars), createdBy.Int64
	if err := json.Unmarshal([]byte(company), &v.CompanyAttendees); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(other), &v.OtherAttendees); err != nil {
		return v, err
	}
	v.Attendees = []Attendee{}
	return v, nil
}

func (s *Service) loadVisit(ctx context.Context, q store.Querier, a auth.Actor, id int64) (Visit, error) {
	v, err := scanVisit(q.QueryRowContext(ctx, s.q.VisitByID, id, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return v, errVisitNotFound
	}
	if err != nil {
		return v, errs.Wrap(err, "load visit")
	}
	rows, err := q.QueryContext(ctx, s.q.VisitAttendees, id)
	if err != nil {
		return v, errs.Wrap(err, "load attendees")
	}
	defer rows.Close()
	for rows.Next() {
		var x Attendee
		var vid int64
		if err := rows.Scan(&vid, &x.UserID, &x.Name, &x.Role); err != nil {
			return v, err
		}
		v.Attendees = append(v.Attendees, x)
	}
	return v, rows.Err()
}

// viewVisit returns what the actor may see of v, or not found: staff and
// coordinators everything; bank staff the visits they attended, without
// notes and issues; nobody else anything.
func viewVisit(a auth.Actor, v Visit) (Visit, error) {
	switch {
	case seesAll(a):
		return v, nil
	case isBank(a) && v.Attended(a.UserID):
		v.Notes, v.NotesHidden, v.Issues = "", true, nil
		return v, nil
	}
	return Visit{}, errVisitNotFound
}

// GetVisit returns a visit as the actor may see it, with the CompanyIssues
// found at it.
func (s *Service) GetVisit(ctx context.Context, a auth.Actor, id int64) (Visit, error) {
	v, err := s.loadVisit(ctx, s.db.R, a, id)
	if err != nil {
		return v, err
	}
	if v, err = viewVisit(a, v); err != nil {
		return v, err
	}
	if !v.NotesHidden {
		if v.Issues, err = s.issuesWhere(ctx, s.db.R, a, s.q.IssuesOfVisit, id); err != nil {
			return v, err
		}
	}
	return v, nil
}

// checkVisit cleans and checks a visit's input; the errors name the fields.
func (s *Service) checkVisit(ctx context.Context, a auth.Actor, in *VisitInput) (string, error) {
	var c checker
	name, err := s.checkCompany(ctx, s.db.R, a, "organization_id", in.OrganizationID, &c.Fields)
	if err != nil {
		return "", err
	}
	now := s.Now()
	in.StartsAt = in.StartsAt.Truncate(time.Minute)
	switch {
	case in.StartsAt.IsZero():
		c.Add("starts_at", "訪問の日時を入力してください", "Enter the date and time of the visit")
	case in.StartsAt.In(jp.JST).Year() < 2000 || in.StartsAt.After(now.AddDate(2, 0, 0)):
		c.Add("starts_at", fmt.Sprintf("訪問の日時は2000年から%d年までにしてください", now.AddDate(2, 0, 0).Year()), fmt.Sprintf("The visit must be between 2000 and %d", now.AddDate(2, 0, 0).Year()))
	}
	switch in.Status {
	case "":
		in.Status = VisitDone
		if in.StartsAt.After(now) {
			in.Status = VisitPlanned
		}
	case VisitPlanned, VisitCancelled:
	case VisitDone:
		if in.StartsAt.After(now.Add(time.Hour)) && !c.Has("starts_at") {
			c.Add("status", "未来の訪問は「実施済み」にできません。予定として登録してください", "A visit in the future cannot be done yet: record it as planned")
		}
	default:
		c.Add("status", "状態は 予定・実施済み・中止（planned, done, cancelled）から選んでください", "Status is planned, done or cancelled")
	}
	if in.Minutes == 0 {
		in.Minutes = 60
	}
	if in.Minutes < 5 || in.Minutes > 720 {
		c.Add("minutes", "所要時間は5分から720分（12時間）までにしてください", "The duration must be between 5 and 720 minutes")
	}
	c.line("purpose", &in.Purpose, maxTitle, true, "訪問の目的", "purpose of the visit")
	c.caps("capabilities", in.Capabilities)
	c.pillars("pillars", in.Pillars)
	in.Capabilities, in.Pillars = capsOf(capBits(in.Capabilities)), pillarsOf(pillarBits(in.Pillars))
	if in.LifeStage != "" && !slices.Contains(LifeStages, in.LifeStage) {
		c.Add("life_stage", "ライフステージは 創業期・成長期・成熟期・転換期・承継期 から選んでください", "Life stage is startup, growth, mature, transition or succession")
	}
	c.text("notes", &in.Notes, maxNotes, "訪問メモ", "notes")
	c.names("company_attendees", &in.CompanyAttendees, "企業側の出席者", "company attendees")
	c.names("other_attendees", &in.OtherAttendees, "その他の出席者", "other attendees")
	if len(in.AttendeeIDs) == 0 && a.UserID != 0 && a.Role != auth.RoleBank {
		in.AttendeeIDs = []int64{a.UserID}
	}
	slices.Sort(in.AttendeeIDs)
	in.AttendeeIDs = slices.Compact(in.AttendeeIDs)
	switch {
	case len(in.AttendeeIDs) == 0:
		c.Add("attendee_ids", "出席した職員・コーディネーターを選んでください", "Choose who attended")
	case len(in.AttendeeIDs) > maxAttendees:
		c.Add("attendee_ids", fmt.Sprintf("出席者は%d人までです", maxAttendees), fmt.Sprintf("At most %d attendees", maxAttendees))
	default:
		for _, id := range in.AttendeeIDs {
			before := len(c.Fields)
			s.checkUser(ctx, s.db.R, a, "attendee_ids", id, true, &c.Fields)
			if len(c.Fields) > before {
				break
			}
		}
	}
	if len(in.NewIssues) > maxIssues {
		c.Add("new_issues", fmt.Sprintf("一度に登録できる課題は%d件までです", maxIssues), fmt.Sprintf("At most %d issues at once", maxIssues))
	}
	for i := range in.NewIssues {
		in.NewIssues[i].OrganizationID = in.OrganizationID
		if err := s.checkIssue(ctx, a, &in.NewIssues[i], fmt.Sprintf("new_issues[%d].", i), &c.Fields, true); err != nil {
			return "", err
		}
	}
	return name, c.Err()
}

// CreateVisit records a visit, with the CompanyIssues found at it.
func (s *Service) CreateVisit(ctx context.Context, a auth.Actor, in VisitInput) (Visit, error) {
	if !canEdit(a) {
		return Visit{}, errNoEdit
	}
	if _, err := s.checkVisit(ctx, a, &in); err != nil {
		return Visit{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		company, _ := json.Marshal(in.CompanyAttendees)
		other, _ := json.Marshal(in.OtherAttendees)
		err := tx.QueryRowContext(ctx, s.q.InsertVisit, a.Municipality, in.OrganizationID, in.Status, in.StartsAt.UTC(), in.Minutes, in.Purpose,
			capBits(in.Capabilities), pillarBits(in.Pillars), in.LifeStage, in.Notes, string(company), string(other), nullInt(a.UserID), now, now).Scan(&id)
		if err != nil {
			return err
		}
		if err := s.writeAttendees(ctx, tx, id, in.AttendeeIDs, false); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "visit.create", "visit", id, nil, in); err != nil {
			return err
		}
		for _, is := range in.NewIssues {
			is.VisitID = id
			if _, err := s.insertIssue(ctx, tx, a, is); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Visit{}, errs.Wrap(err, "save visit")
	}
	return s.GetVisit(ctx, a, id)
}

func (s *Service) writeAttendees(ctx context.Context, tx *sql.Tx, id int64, users []int64, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, s.q.DeleteAttendee, id); err != nil {
			return err
		}
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, s.q.InsertAttendee, id, u); err != nil {
			return err
		}
	}
	return nil
}

// UpdateVisit replaces a visit's record. version must be the version the
// editor started from: if someone saved in between, the save is refused
// with a conflict carrying what they saved. New issues are added.
func (s *Service) UpdateVisit(ctx context.Context, a auth.Actor, id int64, version int, in VisitInput) (Visit, error) {
	if !canEdit(a) {
		return Visit{}, errNoEdit
	}
	if _, err := s.loadVisit(ctx, s.db.R, a, id); err != nil {
		return Visit{}, err
	}
	if _, err := s.checkVisit(ctx, a, &in); err != nil {
		return Visit{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadVisit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict("訪問記録", cur)
		}
		company, _ := json.Marshal(in.CompanyAttendees)
		other, _ := json.Marshal(in.OtherAttendees)
		err = one(tx.ExecContext(ctx, s.q.UpdateVisit, in.OrganizationID, in.Status, in.StartsAt.UTC(), in.Minutes, in.Purpose,
			capBits(in.Capabilities), pillarBits(in.Pillars), in.LifeStage, in.Notes, string(company), string(other), s.now(),
			id, a.Municipality, version))(func() error { return conflict("訪問記録", cur) })
		if err != nil {
			return err
		}
		if err := s.writeAttendees(ctx, tx, id, in.AttendeeIDs, true); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "visit.update", "visit", id, cur, in); err != nil {
			return err
		}
		for _, is := range in.NewIssues {
			is.VisitID = id
			if _, err := s.insertIssue(ctx, tx, a, is); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Visit{}, errs.Wrap(err, "save visit")
	}
	return s.GetVisit(ctx, a, id)
}

// VisitQuery selects visits for the list and the API.
type VisitQuery struct {
	FiscalYear     int         // 年度, 0 for all
	OrganizationID int64       // one company
	Status         VisitStatus // one status, or all
	AttendeeID     int64       // visits this account attended (bank staff: always themselves)
	Capability     Capability  // tagged with this capability
	Pillar         Pillar      // tagged with this pillar
	LifeStage      LifeStage   // the company's stage at the visit
	Q              string      // words in the company's name or reading
	From, To       time.Time   // starts_at in [From, To)
	Sort           string      // "newest" (default), "oldest"
	Page, PerPage  int
}

var visitSorts = map[string]string{"newest": "v.starts_at DESC, v.id DESC", "oldest": "v.starts_at, v.id"}

// ListVisits returns a page of the municipality's visits; bank staff see the
// visits they attended, without notes.
func (s *Service) ListVisits(ctx context.Context, a auth.Actor, q VisitQuery) (Page[Visit], error) {
	res := Page[Visit]{Items: []Visit{}}
	if !seesAll(a) && !isBank(a) {
		return res, errNoRead
	}
	var fe errs.Fields
	order, ok := visitSorts[q.Sort]
	if q.Sort == "" {
		order, ok = visitSorts["newest"], true
	}
	if !ok {
		fe.Add("sort", "並び順は newest か oldest です", "Sort is newest or oldest")
	}
	if q.Status != "" && !slices.Contains(VisitStatuses, q.Status) {
		fe.Add("status", "状態は planned, done, cancelled のいずれかです", "Status is planned, done or cancelled")
	}
	if q.Capability != "" && capBits([]Capability{q.Capability}) == 0 {
		fe.Add("capability", "能力の分類が正しくありません", "Unknown capability")
	}
	if q.Pillar != 0 && (q.Pillar < 1 || q.Pillar > 5) {
		fe.Add("pillar", "計画の柱は1から5です", "Pillars are 1 to 5")
	}
	if q.LifeStage != "" && !slices.Contains(LifeStages, q.LifeStage) {
		fe.Add("life_stage", "ライフステージが正しくありません", "Unknown life stage")
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
	if isBank(a) {
		q.AttendeeID = a.UserID
	}
	where := []string{"v.municipality_code = ?"}
	args := []any{a.Municipality}
	if q.FiscalYear != 0 {
		from, to := jp.FiscalYearRange(q.FiscalYear)
		where = append(where, "v.starts_at >= ?", "v.starts_at < ?")
		args = append(args, from.UTC(), to.UTC())
	}
	if !q.From.IsZero() {
		where = append(where, "v.starts_at >= ?")
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where = append(where, "v.starts_at < ?")
		args = append(args, q.To.UTC())
	}
	if q.OrganizationID != 0 {
		where = append(where, "v.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.Status != "" {
		where = append(where, "v.status = ?")
		args = append(args, string(q.Status))
	}
	if q.AttendeeID != 0 {
		where = append(where, "v.id IN (SELECT visit_id FROM visit_attendees WHERE user_id = ?)")
		args = append(args, q.AttendeeID)
	}
	if q.Capability != "" {
		where = append(where, "(v.capabilities & ?) <> 0")
		args = append(args, capBits([]Capability{q.Capability}))
	}
	if q.Pillar != 0 {
		where = append(where, "(v.pillars & ?) <> 0")
		args = append(args, pillarBits([]Pillar{q.Pillar}))
	}
	if q.LifeStage != "" {
		where = append(where, "v.life_stage = ?")
		args = append(args, string(q.LifeStage))
	}
	for _, w := range strings.Fields(q.Q) {
		if k := jp.Fold(w); k != "" {
			where = append(where, "o.search_key LIKE ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(k)+"%")
		}
	}
	cond := strings.Join(where, " AND ")
	res.Page, res.PerPage = q.Page, q.PerPage
	if err := s.db.R.QueryRowContext(ctx, s.db.Rebind("SELECT COUNT(*) FROM visits v JOIN organizations o ON o.id = v.organization_id WHERE "+cond), args...).Scan(&res.Total); err != nil {
		return res, errs.Wrap(err, "count visits")
	}
	query := fmt.Sprintf("SELECT %s%s WHERE %s ORDER BY %s LIMIT %d OFFSET %d", visitColumns, visitFrom, cond, order, q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return res, errs.Wrap(err, "list visits")
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return res, errs.Wrap(err, "read visit")
		}
		res.Items = append(res.Items, v)
	}
	if err := rows.Err(); err != nil {
		return res, errs.Wrap(err, "list visits")
	}
	if err := s.fillAttendees(ctx, res.Items); err != nil {
		return res, err
	}
	for i := range res.Items {
		res.Items[i], _ = viewVisit(a, res.Items[i])
	}
	return res, nil
}

// fillAttendees loads the attendees of a page of visits in one query.
func (s *Service) fillAttendees(ctx context.Context, vs []Visit) error {
	if len(vs) == 0 {
		return nil
	}
	ids := make([]any, len(vs))
	at := map[int64]int{}
	for i, v := range vs {
		ids[i] = v.ID
		at[v.ID] = i
	}
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(`SELECT a.visit_id, u.id, COALESCE(NULLIF(u.name, ''), u.email), u.role
		FROM visit_attendees a JOIN users u ON u.id = a.user_id WHERE a.visit_id IN (`+placeholders(len(ids))+`) ORDER BY a.visit_id, u.id`), ids...)
	if err != nil {
		return errs.Wrap(err, "load attendees")
	}
	defer rows.Close()
	for rows.Next() {
		var vid int64
		var x Attendee
		if err := rows.Scan(&vid, &x.UserID, &x.Name, &x.Role); err != nil {
			return err
		}
		i := at[vid]
		vs[i].Attendees = append(vs[i].Attendees, x)
	}
	return rows.Err()
}
