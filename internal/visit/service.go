package visit

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/mail"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

//go:embed queries.sql
var queryFiles embed.FS

type queries struct {
	OrgBrief   string `query:"org-brief"`
	UserBrief  string `query:"user-brief"`
	StaffUsers string `query:"staff-users"`

	VisitByID      string `query:"visit-by-id"`
	InsertVisit    string `query:"insert-visit"`
	UpdateVisit    string `query:"update-visit"`
	DeleteAttendee string `query:"delete-attendees"`
	InsertAttendee string `query:"insert-attendee"`
	VisitAttendees string `query:"visit-attendees"`

	IssueByID           string `query:"issue-by-id"`
	InsertIssue         string `query:"insert-issue"`
	UpdateIssue         string `query:"update-issue"`
	IssuesOfVisit       string `query:"issues-of-visit"`
	IssuesOfConsult     string `query:"issues-of-consultation"`
	SetIssueInProgress  string `query:"set-issue-in-progress"`
	ConsultationByID    string `query:"consultation-by-id"`
	InsertConsultation  string `query:"insert-consultation"`
	UpdateConsultation  string `query:"update-consultation"`
	SetConsultReferred  string `query:"set-consultation-referred"`
	ReferralByID        string `query:"referral-by-id"`
	InsertReferral      string `query:"insert-referral"`
	UpdateReferral      string `query:"update-referral"`
	ReferralsOfConsult  string `query:"referrals-of-consultation"`
	ReferralsOfIssue    string `query:"referrals-of-issue"`
	ReferralsByAgency   string `query:"referral-counts-by-agency"`
	TimelineVisits      string `query:"timeline-visits"`
	TimelineIssues      string `query:"timeline-issues"`
	TimelineConsults    string `query:"timeline-consultations"`
	TimelineReferrals   string `query:"timeline-referrals"`
	CompanySummary      string `query:"company-summary"`
	PlanningCandidates  string `query:"planning-candidates"`
	AgendaVisits        string `query:"agenda-visits"`
	AgendaIssues        string `query:"agenda-issues"`
	AgendaReferrals     string `query:"agenda-referrals"`
	AgendaConsultations string `query:"agenda-consultations"`

	InsertFeed    string `query:"insert-feed"`
	FeedsOfUser   string `query:"feeds-of-user"`
	RevokeFeed    string `query:"revoke-feed"`
	FeedByToken   string `query:"feed-by-token"`
	TouchFeed     string `query:"touch-feed"`
	FeedVisits    string `query:"feed-visits"`
	Municipalites string `query:"municipalities"`
	ScheduleRun   string `query:"schedule-digest"`
	ClaimRun      string `query:"claim-digest"`
	FinishRun     string `query:"finish-digest"`
	DigestUsers   string `query:"digest-users"`
	HasVisits     string `query:"has-visits"`

	CountVisits        string `query:"count-visits"`
	CountIssues        string `query:"count-issues"`
	CountConsultations string `query:"count-consultations"`
	CountReferrals     string `query:"count-referrals"`
	VisitedCompanies   string `query:"visited-companies"`
	IssueMeasures      string `query:"issue-measures"`
	ReferralMeasures   string `query:"referral-measures"`
	ConsultCategories  string `query:"consultation-categories"`
	ReferralOutcomes   string `query:"referral-outcomes"`
	ExportVisits       string `query:"export-visits"`
	ExportIssues       string `query:"export-issues"`
	ExportConsults     string `query:"export-consultations"`
	ExportReferrals    string `query:"export-referrals"`
	ExportAttendees    string `query:"export-attendees"`
}

// Service keeps the visits, CompanyIssues, consultations and referrals of
// every municipality, and sends the daily digest.
type Service struct {
	db    *store.DB
	q     queries
	auth  *auth.Service
	orgs  *org.Service
	munis *municipality.Service

	// Mailer sends the daily digest and the staff's copy of a consultation
	// asked for through a company's account; nil sends nothing.
	Mailer *mail.Mailer
	// BaseURL is the site's public address, for links in mail and calendars.
	BaseURL string
	// DigestHour is the hour (Japan time) after which a day's digest is sent.
	DigestHour int
	// Now is the clock (tests set it).
	Now func() time.Time

	mu        sync.RWMutex
	sources   []TimelineSource
	scheduled map[string]string // municipality → the day whose digest this instance saw scheduled
}

// NewService prepares the service's queries against db.
func NewService(ctx context.Context, db *store.DB, a *auth.Service, orgs *org.Service, munis *municipality.Service) (*Service, error) {
	s := &Service{db: db, auth: a, orgs: orgs, munis: munis, DigestHour: 7, Now: time.Now, BaseURL: "http://localhost:8080"}
	if err := store.LoadQueries(&s.q, queryFiles, "queries.sql", db.Dialect); err != nil {
		return nil, err
	}
	if err := db.CheckQueries(ctx, &s.q); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() Date { return DateOf(s.Now()) }

// Who may do what. The route permissions decide who reaches a call; these
// decide what each actor gets from it.
func seesAll(a auth.Actor) bool { return a.Can(auth.PermVisitRead) }
func canEdit(a auth.Actor) bool { return a.Can(auth.PermVisitEdit) }
func isBank(a auth.Actor) bool  { return a.Role == auth.RoleBank && a.UserID != 0 }
func isMember(a auth.Actor) bool {
	return a.Role == auth.RoleMember && a.OrganizationID != 0 && a.Can(auth.PermConsultations)
}

var (
	errVisitNotFound        = errs.NotFoundf("訪問記録が見つかりません", "No such visit")
	errIssueNotFound        = errs.NotFoundf("課題が見つかりません", "No such company issue")
	errConsultationNotFound = errs.NotFoundf("相談が見つかりません", "No such consultation")
	errReferralNotFound     = errs.NotFoundf("紹介が見つかりません", "No such referral")
	errOrgNotFound          = errs.NotFoundf("組織が見つかりません", "No such organization")
	errNoEdit               = errs.New(errs.Forbidden, "企業訪問・相談の記録を編集する権限がありません", "You may not edit visits and consultations")
	errNoRead               = errs.New(errs.Forbidden, "企業訪問・相談の記録を見る権限がありません", "You may not see visits and consultations")
)

func conflict(what string, current any) error {
	e := errs.New(errs.Conflict,
		"他の人がこの"+what+"を先に更新しました。最新の内容を確認してから、もう一度保存してください",
		"Someone else changed this record first. Check the current version, then save again")
	e.Current = current
	return e
}

// orgBrief is what the service needs to know of an organization.
type orgBrief struct {
	ID     int64
	Kind   org.Kind
	Status org.Status
	Name   string
}

func (s *Service) orgOf(ctx context.Context, q store.Querier, a auth.Actor, id int64) (orgBrief, error) {
	var o orgBrief
	err := q.QueryRowContext(ctx, s.q.OrgBrief, id, a.Municipality).Scan(&o.ID, &o.Kind, &o.Status, &o.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return o, errOrgNotFound
	}
	return o, errs.Wrap(err, "load organization")
}

// checkCompany adds a field error unless id is an active company or lab of
// the actor's municipality, and returns its name.
func (s *Service) checkCompany(ctx context.Context, q store.Querier, a auth.Actor, field string, id int64, fe *errs.Fields) (string, error) {
	if id <= 0 {
		fe.Add(field, "企業を選んでください", "Choose the company")
		return "", nil
	}
	o, err := s.orgOf(ctx, q, a, id)
	if errs.Is(err, errs.NotFound) {
		fe.Add(field, "この企業は登録されていません（他の自治体の企業は選べません）", "This company is not in the registry (companies of other municipalities cannot be chosen)")
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if o.Kind != org.KindCompany && o.Kind != org.KindLab {
		fe.Add(field, "企業または研究室を選んでください（支援機関・金融機関は紹介先です）", "Choose a company or lab (agencies and banks are referral targets)")
	}
	return o.Name, nil
}

// UserBrief is an account as visits show it.
type UserBrief struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Role           auth.Role `json:"role"`
	Email          string    `json:"-"`
	OrganizationID int64     `json:"-"`
}

// Label is the name, or the e-mail address for accounts without one.
func (u UserBrief) Label() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// checkUser adds a field error unless id is an enabled account of the
// actor's municipality that may attend visits or own follow-ups.
func (s *Service) checkUser(ctx context.Context, q store.Querier, a auth.Actor, field string, id int64, allowBank bool, fe *errs.Fields) {
	var muni, role, name, email string
	var disabled sql.NullTime
	var uid int64
	err := q.QueryRowContext(ctx, s.q.UserBrief, id).Scan(&uid, &muni, &role, &name, &email, &disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && muni != a.Municipality):
		fe.Add(field, "この担当者は登録されていません（他の自治体の職員は選べません）", "No such person here (staff of other municipalities cannot be chosen)")
	case err != nil:
		fe.Add(field, "担当者を確認できませんでした", "The person could not be checked")
	case disabled.Valid:
		fe.Add(field, name+"（"+email+"）のアカウントは無効です", "The account of "+email+" is disabled")
	case auth.Role(role) == auth.RoleMember || (auth.Role(role) == auth.RoleBank && !allowBank):
		fe.Add(field, "職員・コーディネーター"+map[bool]string{true: "・金融機関の担当者", false: ""}[allowBank]+"から選んでください", "Choose staff or a coordinator"+map[bool]string{true: " or bank staff", false: ""}[allowBank])
	}
}

// StaffUsers lists the accounts that can attend visits and own follow-ups
// (staff, coordinators, administrators and bank staff), for forms.
func (s *Service) StaffUsers(ctx context.Context, a auth.Actor) ([]UserBrief, error) {
	if !seesAll(a) {
		return nil, errNoRead
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.StaffUsers, a.Municipality)
	if err != nil {
		return nil, errs.Wrap(err, "list staff")
	}
	defer rows.Close()
	var out []UserBrief
	for rows.Next() {
		var u UserBrief
		var orgID sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Role, &u.Name, &u.Email, &orgID); err != nil {
			return nil, err
		}
		u.OrganizationID = orgID.Int64
		out = append(out, u)
	}
	return out, rows.Err()
}

// audit records a write of the service inside tx.
func (s *Service) audit(ctx context.Context, tx store.Querier, a auth.Actor, action, entity string, id int64, before, after any) error {
	return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: action, Entity: entity, EntityID: strconv.FormatInt(id, 10), Before: before, After: after})
}

// Limits on what people type: generous for real notes, small enough that a
// pasted document or a script's garbage is refused with a clear message.
const (
	maxTitle     = 200
	maxNotes     = 10000
	maxNames     = 20
	maxNameLen   = 100
	maxAttendees = 20
	maxIssues    = 20
)

// checker collects field errors while cleaning input.
type checker struct{ errs.Fields }

func (c *checker) line(field string, s *string, max int, required bool, what, whatEN string) {
	*s = cleanLine(*s)
	if *s == "" && required {
		c.Add(field, what+"を入力してください", "Enter the "+whatEN)
		return
	}
	if n := utf8.RuneCountInString(*s); n > max {
		c.Add(field, fmt.Sprintf("%sは%d文字以内で入力してください（現在%d文字）", what, max, n), fmt.Sprintf("The %s must be at most %d characters (now %d)", whatEN, max, n))
	}
}

func (c *checker) text(field string, s *string, max int, what, whatEN string) {
	*s = cleanText(*s)
	if n := utf8.RuneCountInString(*s); n > max {
		c.Add(field, fmt.Sprintf("%sは%s文字以内で入力してください（現在%s文字）", what, groupDigits(max), groupDigits(n)), fmt.Sprintf("The %s must be at most %s characters (now %s)", whatEN, groupDigits(max), groupDigits(n)))
	}
}

func (c *checker) names(field string, list *[]string, what, whatEN string) {
	var out []string
	for _, n := range *list {
		if n = cleanLine(n); n != "" {
			if utf8.RuneCountInString(n) > maxNameLen {
				c.Add(field, fmt.Sprintf("%sの名前は%d文字以内にしてください", what, maxNameLen), fmt.Sprintf("Each %s name must be at most %d characters", whatEN, maxNameLen))
				break
			}
			out = append(out, n)
		}
	}
	if len(out) > maxNames {
		c.Add(field, fmt.Sprintf("%sは%d人までです", what, maxNames), fmt.Sprintf("At most %d %s", maxNames, whatEN))
	}
	if out == nil {
		out = []string{}
	}
	*list = out
}

func (c *checker) caps(field string, list []Capability) {
	for _, x := range list {
		if capBits([]Capability{x}) == 0 {
			c.Add(field, "能力の分類は 基盤力・連携力・経営力・技術力・人材力（foundation, collaboration, management, technology, people）から選んでください", "Capabilities are foundation, collaboration, management, technology, people")
			return
		}
	}
}

func (c *checker) pillars(field string, list []Pillar) {
	for _, p := range list {
		if p < 1 || p > 5 {
			c.Add(field, "計画の柱は1から5です", "Pillars are 1 to 5")
			return
		}
	}
}

// date checks a date field against a sane range (from 2000 to years ahead).
func (c *checker) date(field string, d *Date, required bool, maxAhead int, today Date, what, whatEN string) {
	v, ok := parseDate(string(*d))
	if !ok {
		c.Add(field, what+"は 2025-06-03 や 令和7年6月3日 の形で入力してください", "Write the "+whatEN+" as 2025-06-03")
		return
	}
	*d = v
	if v == "" {
		if required {
			c.Add(field, what+"を入力してください", "Enter the "+whatEN)
		}
		return
	}
	t := v.Time()
	limit := today.Time().AddDate(maxAhead, 0, 0)
	if t.Year() < 2000 || t.After(limit) {
		c.Add(field, fmt.Sprintf("%sは2000年から%d年までの日付にしてください", what, limit.Year()), fmt.Sprintf("The %s must be between 2000 and %d", whatEN, limit.Year()))
	}
}

// cleanLine trims a one-line value and drops control characters.
func cleanLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// cleanText keeps line breaks (as \n) and drops other control characters.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// one checks that a versioned UPDATE changed exactly one row; none means
// someone else's write got in between.
func one(res sql.Result, err error) func(onConflict func() error) error {
	return func(onConflict func() error) error {
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return onConflict()
		}
		return nil
	}
}

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

func nullTime(t *time.Time) sql.NullTime {
	if t == nil || t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// dbTime scans a time that SQLite may hand back as text (aggregates such
// as MAX lose the column's type there) and PostgreSQL as a time.
type dbTime struct {
	Time  time.Time
	Valid bool
}

func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.Valid = false
		return nil
	case time.Time:
		d.Time, d.Valid = x, true
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("visit: cannot scan %T as a time", v)
}

func (d *dbTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time, d.Valid = t, true
			return nil
		}
	}
	return fmt.Errorf("visit: cannot read time %q", s)
}

func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.Time
	return &t
}

// Page is one page of a list.
type Page[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// Pages is the number of pages.
func (p Page[T]) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

func checkPaging(fe *errs.Fields, page, perPage *int) {
	if *page < 0 || *page > 100000 {
		fe.Add("page", "ページ番号が正しくありません", "The page number is out of range")
	}
	if *perPage < 0 || *perPage > 500 {
		fe.Add("per_page", "1ページの件数は1から500の間で指定してください", "per_page must be between 1 and 500")
	}
	if *page == 0 {
		*page = 1
	}
	if *perPage == 0 {
		*perPage = 50
	}
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
