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
	"mieruka/internal/mail"
	"mieruka/internal/store"
)

// Consultation is a company's request for advice (相談): asked through the
// company's account, or taken by staff on the phone, by mail, at the desk
// or during a visit; classified, and answered by referrals.
type Consultation struct {
	ID               int64              `json:"id"`
	Municipality     string             `json:"municipality_code"`
	OrganizationID   int64              `json:"organization_id"`
	OrganizationName string             `json:"organization_name"`
	Channel          Channel            `json:"channel"`
	Category         Category           `json:"category"`
	Subject          string             `json:"subject"`
	Request          string             `json:"request"`
	Notes            string             `json:"notes,omitempty"`
	Status           ConsultationStatus `json:"status"`
	OwnerID          int64              `json:"owner_id,omitempty"`
	OwnerName        string             `json:"owner_name,omitempty"`
	ReceivedAt       time.Time          `json:"received_at"`
	FollowUpOn       Date               `json:"follow_up_on,omitempty"`
	Referrals        []Referral         `json:"referrals,omitempty"`
	Issues           []CompanyIssue     `json:"company_issues,omitempty"`
	Version          int                `json:"version"`
	CreatedBy        int64              `json:"created_by,omitempty"`
	CreatedAt        time.Time          `json:"created_at"`
	UpdatedAt        time.Time          `json:"updated_at"`
}

// Open reports whether the consultation still needs work.
func (c Consultation) Open() bool { return c.Status != ConsClosed }

// Overdue reports whether the follow-up date has passed on an open consultation.
func (c Consultation) Overdue(today Date) bool { return c.Open() && c.FollowUpOn.Before(today) }

// ConsultationInput is what recording or editing a consultation takes.
// For a company's own account only the category, subject and request count.
type ConsultationInput struct {
	OrganizationID int64              `json:"organization_id"`
	Channel        Channel            `json:"channel"`
	Category       Category           `json:"category"`
	Subject        string             `json:"subject"`
	Request        string             `json:"request"`
	Notes          string             `json:"notes"`
	Status         ConsultationStatus `json:"status"`
	OwnerID        int64              `json:"owner_id"`
	ReceivedAt     time.Time          `json:"received_at"`
	FollowUpOn     Date               `json:"follow_up_on"`
}

const consultationColumns = `c.id, c.municipality_code, c.organization_id, o.name, c.channel, c.category, c.subject, c.request, c.notes,
	c.status, c.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), c.received_at, c.follow_up_on, c.version, c.created_by,
	c.created_at, c.updated_at`

const consultationFrom = ` FROM consultations c JOIN organizations o ON o.id = c.organization_id LEFT JOIN users ou ON ou.id = c.owner_id`

func scanConsultation(row interface{ Scan(...any) error }) (Consultation, error) {
	var c Consultation
	var owner, createdBy sql.NullInt64
	err := row.Scan(&c.ID, &c.Municipality, &c.OrganizationID, &c.OrganizationName, &c.Channel, &c.Category, &c.Subject, &c.Request, &c.Notes,
		&c.Status, &owner, &c.OwnerName, &c.ReceivedAt, &c.FollowUpOn, &c.Version, &createdBy, &c.CreatedAt, &c.UpdatedAt)
	c.OwnerID, c.CreatedBy = owner.Int64, createdBy.Int64
	return c, err
}

func (s *Service) loadConsultation(ctx context.Context, q store.Querier, a auth.Actor, id int64) (Consultation, error) {
	c, err := scanConsultation(q.QueryRowContext(ctx, s.q.ConsultationByID, id, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errConsultationNotFound
	}
	return c, errs.Wrap(err, "load consultation")
}

// viewConsultation returns what the actor may see: staff everything, a
// member their own company's consultations without internal notes.
func viewConsultation(a auth.Actor, c Consultation) (Consultation, error) {
	switch {
	case seesAll(a):
		return c, nil
	case isMember(a) && a.OrganizationID == c.OrganizationID:
		c.Notes, c.Issues = "", nil
		c.CreatedBy = 0
		for i := range c.Referrals {
			c.Referrals[i] = memberReferral(c.Referrals[i])
		}
		return c, nil
	}
	return Consultation{}, errConsultationNotFound
}

// GetConsultation returns a consultation with its referrals (and, for staff,
// the CompanyIssues raised in it).
func (s *Service) GetConsultation(ctx context.Context, a auth.Actor, id int64) (Consultation, error) {
	if !seesAll(a) && !isMember(a) {
		return Consultation{}, errConsultationNotFound
	}
	c, err := s.loadConsultation(ctx, s.db.R, a, id)
	if err != nil {
		return c, err
	}
	if _, err := viewConsultation(a, c); err != nil {
		return Consultation{}, err
	}
	if c.Referrals, err = s.referralsWhere(ctx, s.db.R, a, s.q.ReferralsOfConsult, id); err != nil {
		return c, err
	}
	if seesAll(a) {
		if c.Issues, err = s.issuesWhere(ctx, s.db.R, a, s.q.IssuesOfConsult, id); err != nil {
			return c, err
		}
	}
	return viewConsultation(a, c)
}

func (s *Service) checkConsultation(ctx context.Context, a auth.Actor, in *ConsultationInput) error {
	var c checker
	if isMember(a) && !seesAll(a) {
		// A company asks through its own account: what it may set is what
		// it asks; the rest is the city's.
		in.OrganizationID, in.Channel, in.Status, in.OwnerID, in.Notes, in.FollowUpOn = a.OrganizationID, ChannelAccount, ConsNew, 0, "", ""
		in.ReceivedAt = s.now()
	}
	if _, err := s.checkCompany(ctx, s.db.R, a, "organization_id", in.OrganizationID, &c.Fields); err != nil {
		return err
	}
	if in.Channel == "" {
		in.Channel = ChannelPhone
	}
	if !slices.Contains(Channels, in.Channel) {
		c.Add("channel", "受付方法は 電話・来庁・メール・訪問時・企業アカウント（phone, walk_in, email, visit, account）から選んでください", "Channel is phone, walk_in, email, visit or account")
	}
	if !slices.Contains(Categories, in.Category) {
		c.Add("category", "相談の分類を選んでください", "Choose the kind of consultation")
	}
	c.line("subject", &in.Subject, maxTitle, true, "相談の件名", "subject")
	c.text("request", &in.Request, maxNotes, "相談の内容", "request")
	c.text("notes", &in.Notes, maxNotes, "対応メモ", "notes")
	if in.Status == "" {
		in.Status = ConsNew
	}
	if !slices.Contains(ConsultationStatuses, in.Status) {
		c.Add("status", "状態は 受付・対応中・紹介済み・完了（new, in_progress, referred, closed）から選んでください", "Status is new, in_progress, referred or closed")
	}
	if in.OwnerID == 0 && a.UserID != 0 && seesAll(a) {
		in.OwnerID = a.UserID
	}
	if in.OwnerID != 0 {
		s.checkUser(ctx, s.db.R, a, "owner_id", in.OwnerID, false, &c.Fields)
	}
	now := s.Now()
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	in.ReceivedAt = in.ReceivedAt.UTC().Truncate(time.Minute)
	if in.ReceivedAt.In(jp.JST).Year() < 2000 || in.ReceivedAt.After(now.Add(24*time.Hour)) {
		c.Add("received_at", "受付日時は2000年から今日までにしてください", "The date received must be between 2000 and today")
	}
	c.date("follow_up_on", &in.FollowUpOn, false, 3, s.today(), "フォローアップ予定日", "follow-up date")
	return c.Err()
}

// CreateConsultation records a consultation. A member asks for their own
// company (the city's staff get a copy by mail when the municipality has a
// staff inbox); staff record one for any company.
func (s *Service) CreateConsultation(ctx context.Context, a auth.Actor, in ConsultationInput) (Consultation, error) {
	if !canEdit(a) && !isMember(a) {
		return Consultation{}, errNoEdit
	}
	if err := s.checkConsultation(ctx, a, &in); err != nil {
		return Consultation{}, err
	}
	caps, pillars := in.Category.tags()
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, s.q.InsertConsultation, a.Municipality, in.OrganizationID, in.Channel, in.Category, in.Subject, in.Request, in.Notes,
			in.Status, nullInt(in.OwnerID), in.ReceivedAt, string(in.FollowUpOn), capBits(caps), pillarBits(pillars), nullInt(a.UserID), now, now).Scan(&id)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "consultation.create", "consultation", id, nil, in); err != nil {
			return err
		}
		if in.Channel == ChannelAccount {
			return s.notifyStaff(ctx, tx, a, id, in)
		}
		return nil
	})
	if err != nil {
		return Consultation{}, errs.Wrap(err, "save consultation")
	}
	return s.GetConsultation(ctx, a, id)
}

// notifyStaff queues a mail to the municipality's staff inbox about a
// consultation a company asked for, in the same transaction.
func (s *Service) notifyStaff(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, in ConsultationInput) error {
	if s.Mailer == nil || s.munis == nil {
		return nil
	}
	m, err := s.munis.Get(ctx, a.Municipality)
	if err != nil || m.Settings.StaffInbox == "" {
		return nil
	}
	var company string
	tx.QueryRowContext(ctx, s.q.OrgBrief, in.OrganizationID, a.Municipality).Scan(new(int64), new(string), new(string), &company)
	text := fmt.Sprintf("%s から相談がありました。\n\n分類: %s\n件名: %s\n\n%s\n\n%s/staff/consultations/%d\n", company, in.Category.Label("ja"), in.Subject, in.Request, strings.TrimSuffix(s.BaseURL, "/"), id)
	_, err = s.Mailer.Enqueue(ctx, tx, a.Municipality, mail.Message{
		To: []string{m.Settings.StaffInbox}, Subject: "【相談受付】" + company + "：" + in.Subject, Text: text,
		Headers: map[string]string{"X-Mieruka-Kind": "consultation"},
	})
	return err
}

// UpdateConsultation replaces a consultation's record (versioned).
func (s *Service) UpdateConsultation(ctx context.Context, a auth.Actor, id int64, version int, in ConsultationInput) (Consultation, error) {
	if !canEdit(a) {
		return Consultation{}, errNoEdit
	}
	cur, err := s.loadConsultation(ctx, s.db.R, a, id)
	if err != nil {
		return Consultation{}, err
	}
	if in.OrganizationID == 0 {
		in.OrganizationID = cur.OrganizationID
	}
	if err := s.checkConsultation(ctx, a, &in); err != nil {
		return Consultation{}, err
	}
	caps, pillars := in.Category.tags()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadConsultation(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict("相談", cur)
		}
		err = one(tx.ExecContext(ctx, s.q.UpdateConsultation, in.OrganizationID, in.Channel, in.Category, in.Subject, in.Request, in.Notes, in.Status,
			nullInt(in.OwnerID), in.ReceivedAt, string(in.FollowUpOn), capBits(caps), pillarBits(pillars), s.now(), id, a.Municipality, version))(func() error { return conflict("相談", cur) })
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "consultation.update", "consultation", id, cur, in)
	})
	if err != nil {
		return Consultation{}, errs.Wrap(err, "save consultation")
	}
	return s.GetConsultation(ctx, a, id)
}

// ConsultationQuery selects consultations.
type ConsultationQuery struct {
	Status         string // one status, "open" (not closed), or "" for all
	Category       Category
	OwnerID        int64
	OrganizationID int64
	FiscalYear     int
	Overdue        bool
	Q              string
	Page, PerPage  int
}

// ListConsultations returns a page of consultations, newest first: all of
// the municipality's for staff, their own company's for a member.
func (s *Service) ListConsultations(ctx context.Context, a auth.Actor, q ConsultationQuery) (Page[Consultation], error) {
	res := Page[Consultation]{Items: []Consultation{}}
	if !seesAll(a) && !isMember(a) {
		return res, errNoRead
	}
	var fe errs.Fields
	if q.Status != "" && q.Status != "open" && !slices.Contains(ConsultationStatuses, ConsultationStatus(q.Status)) {
		fe.Add("status", "状態は new, in_progress, referred, closed, open のいずれかです", "Status is new, in_progress, referred, closed or open")
	}
	if q.Category != "" && !slices.Contains(Categories, q.Category) {
		fe.Add("category", "相談の分類が正しくありません", "Unknown category")
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
	if !seesAll(a) {
		q.OrganizationID = a.OrganizationID
	}
	where := []string{"c.municipality_code = ?"}
	args := []any{a.Municipality}
	switch {
	case q.Status == "open" || q.Overdue:
		where = append(where, "c.status <> 'closed'")
	case q.Status != "":
		where = append(where, "c.status = ?")
		args = append(args, q.Status)
	}
	if q.Overdue {
		where = append(where, "c.follow_up_on <> ''", "c.follow_up_on < ?")
		args = append(args, string(s.today()))
	}
	if q.Category != "" {
		where = append(where, "c.category = ?")
		args = append(args, string(q.Category))
	}
	if q.OwnerID != 0 {
		where = append(where, "c.owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if q.OrganizationID != 0 {
		where = append(where, "c.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.FiscalYear != 0 {
		from, to := jp.FiscalYearRange(q.FiscalYear)
		where = append(where, "c.received_at >= ?", "c.received_at < ?")
		args = append(args, from.UTC(), to.UTC())
	}
	for _, w := range strings.Fields(q.Q) {
		if k := jp.Fold(w); k != "" {
			where = append(where, "(o.search_key LIKE ? ESCAPE '\\' OR c.subject LIKE ? ESCAPE '\\')")
			args = append(args, "%"+escapeLike(k)+"%", "%"+escapeLike(w)+"%")
		}
	}
	cond := strings.Join(where, " AND ")
	res.Page, res.PerPage = q.Page, q.PerPage
	if err := s.db.R.QueryRowContext(ctx, s.db.Rebind("SELECT COUNT(*) FROM consultations c JOIN organizations o ON o.id = c.organization_id WHERE "+cond), args...).Scan(&res.Total); err != nil {
		return res, errs.Wrap(err, "count consultations")
	}
	query := fmt.Sprintf("SELECT %s%s WHERE %s ORDER BY c.received_at DESC, c.id DESC LIMIT %d OFFSET %d", consultationColumns, consultationFrom, cond, q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return res, errs.Wrap(err, "list consultations")
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return res, errs.Wrap(err, "read consultation")
		}
		if v, err := viewConsultation(a, c); err == nil {
			res.Items = append(res.Items, v)
		}
	}
	return res, errs.Wrap(rows.Err(), "list consultations")
}
