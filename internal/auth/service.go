package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"net/mail"
	"strings"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/store"
)

//go:embed queries.sql
var queryFiles embed.FS

type queries struct {
	InsertUser               string `query:"insert-user"`
	UserByID                 string `query:"user-by-id"`
	UserByEmail              string `query:"user-by-email"`
	ListUsers                string `query:"list-users"`
	SetPassword              string `query:"set-password"`
	SetDisabled              string `query:"set-disabled"`
	CountFailures            string `query:"count-failures"`
	InsertFailure            string `query:"insert-failure"`
	PruneFailures            string `query:"prune-failures"`
	InsertSession            string `query:"insert-session"`
	SessionUser              string `query:"session-user"`
	DeleteSession            string `query:"delete-session"`
	DeleteUserSessions       string `query:"delete-user-sessions"`
	PruneSessions            string `query:"prune-sessions"`
	InsertToken              string `query:"insert-token"`
	TokenUser                string `query:"token-user"`
	TouchToken               string `query:"touch-token"`
	ListTokens               string `query:"list-tokens"`
	TokenByID                string `query:"token-by-id"`
	RevokeToken              string `query:"revoke-token"`
	InsertAudit              string `query:"insert-audit"`
	EntityHistory            string `query:"entity-history"`
	OrganizationMunicipality string `query:"organization-municipality"`
	ClearPasswordChange      string `query:"clear-password-change"`
	RecentActivity           string `query:"recent-activity"`
}

// Service manages users, sessions, tokens and the audit log.
type Service struct {
	db *store.DB
	q  queries
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration
	// Login limits: failures allowed per e-mail and per address in Window.
	MaxFailuresPerEmail, MaxFailuresPerIP int
	Window                                time.Duration
}

// NewService prepares the service's queries against db.
func NewService(ctx context.Context, db *store.DB) (*Service, error) {
	s := &Service{db: db, SessionTTL: 12 * time.Hour, MaxFailuresPerEmail: 5, MaxFailuresPerIP: 30, Window: 15 * time.Minute}
	if err := store.LoadQueries(&s.q, queryFiles, "queries.sql", db.Dialect); err != nil {
		return nil, err
	}
	if err := db.CheckQueries(ctx, &s.q); err != nil {
		return nil, err
	}
	return s, nil
}

// User is an account.
type User struct {
	ID                 int64      `json:"id"`
	Municipality       string     `json:"municipality_code"`
	Email              string     `json:"email"`
	Name               string     `json:"name"`
	Role               Role       `json:"role"`
	OrganizationID     int64      `json:"organization_id,omitempty"`
	MustChangePassword bool       `json:"must_change_password"`
	Lang               string     `json:"lang"`
	DisabledAt         *time.Time `json:"disabled_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	passwordHash       string
}

// Actor returns the user as the actor of a request from ip.
func (u User) Actor(ip string) Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Municipality: u.Municipality, OrganizationID: u.OrganizationID, IP: ip, Lang: u.Lang}
}

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var org sql.NullInt64
	var disabled sql.NullTime
	dest := append(extra, &u.ID, &u.Municipality, &u.Email, &u.Name, &u.Role, &org, &u.passwordHash, &u.MustChangePassword, &u.Lang, &disabled, &u.CreatedAt)
	if err := row.Scan(dest...); err != nil {
		return u, err
	}
	u.OrganizationID = org.Int64
	if disabled.Valid {
		t := disabled.Time
		u.DisabledAt = &t
	}
	return u, nil
}

// NewUser is what creating an account needs. An empty Password means: make
// one up, and require a change at first sign-in.
type NewUser struct {
	Email          string
	Name           string
	Role           Role
	Municipality   string
	OrganizationID int64
	Password       string
	Lang           string
}

// NormalizeEmail lower-cases and trims an address, and checks its form.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return s, errs.New(errs.Invalid, "メールアドレスの形式が正しくありません", "The e-mail address is not valid")
	}
	return s, nil
}

// CreateUser creates an account and returns it with its password (the one
// given, or a generated one-time password).
func (s *Service) CreateUser(ctx context.Context, a Actor, n NewUser) (User, string, error) {
	if !a.Can(PermUsersManage) {
		return User{}, "", errs.New(errs.Forbidden, "ユーザーを作成する権限がありません", "You may not create users")
	}
	if n.Municipality == "" {
		n.Municipality = a.Municipality
	}
	if n.Municipality != a.Municipality && a.Municipality != "" {
		return User{}, "", errs.New(errs.Forbidden, "他の自治体のユーザーは作成できません", "You may not create users of another municipality")
	}
	var fe errs.Fields
	email, err := NormalizeEmail(n.Email)
	if err != nil {
		fe.AddErr("email", err)
	}
	if !n.Role.Valid() {
		fe.Add("role", "役割が正しくありません（admin, staff, coordinator, bank, member）", "Unknown role (admin, staff, coordinator, bank, member)")
	}
	if n.Role == RoleMember && n.OrganizationID == 0 {
		fe.Add("organization_id", "企業・研究室の担当者には所属する組織が必要です", "A member account needs its organization")
	}
	if n.Role == RoleBank && n.OrganizationID == 0 {
		fe.Add("organization_id", "金融機関の担当者には所属する金融機関が必要です", "A bank staff account needs its bank")
	}
	if n.Role != RoleMember && n.Role != RoleBank {
		n.OrganizationID = 0
	}
	if n.OrganizationID != 0 {
		var m, kind string
		err := s.db.R.QueryRowContext(ctx, s.q.OrganizationMunicipality, n.OrganizationID).Scan(&m, &kind)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && m != n.Municipality):
			fe.Add("organization_id", "所属する組織が見つかりません", "The organization does not exist")
		case err != nil:
			return User{}, "", errs.Wrap(err, "check organization")
		case n.Role == RoleBank && kind != "bank":
			fe.Add("organization_id", "金融機関の担当者の所属先は金融機関（種別 bank）にしてください", "A bank staff account belongs to an organization of kind bank")
		}
	}
	oneTime := n.Password == ""
	if oneTime {
		n.Password = GeneratePassword()
	} else if len([]rune(n.Password)) < MinPasswordLength {
		fe.Add("password", "パスワードは10文字以上にしてください", "The password must have at least 10 characters")
	}
	if n.Lang != "en" {
		n.Lang = "ja"
	}
	if err := fe.Err(); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return User{}, "", err
	}
	now := store.Now()
	u := User{Municipality: n.Municipality, Email: email, Name: n.Name, Role: n.Role, OrganizationID: n.OrganizationID, MustChangePassword: oneTime, Lang: n.Lang, CreatedAt: now}
	var org sql.NullInt64
	if n.OrganizationID != 0 {
		org = sql.NullInt64{Int64: n.OrganizationID, Valid: true}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q.InsertUser, n.Municipality, email, n.Name, n.Role, org, hash, oneTime, n.Lang, now, now).Scan(&u.ID); err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Municipality: n.Municipality, Action: "user.create", Entity: "user", EntityID: itoa(u.ID), After: u})
	})
	if store.IsUniqueViolation(err) {
		return User{}, "", errs.Fields{{Field: "email", JA: "このメールアドレスは既に登録されています", EN: "This e-mail address is already registered"}}.Err()
	}
	if err != nil {
		return User{}, "", errs.Wrap(err, "create user")
	}
	return u, n.Password, nil
}

// UserByEmail finds an account by its e-mail address.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.UserByEmail, email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.NotFoundf("ユーザーが見つかりません", "No such user")
	}
	return u, err
}

// User returns an account of the actor's municipality.
func (s *Service) User(ctx context.Context, a Actor, id int64) (User, error) {
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.UserByID, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Municipality != a.Municipality) {
		return User{}, errs.NotFoundf("ユーザーが見つかりません", "No such user")
	}
	if err == nil && u.ID != a.UserID && !a.Can(PermUsersManage) {
		return User{}, errs.New(errs.Forbidden, "このユーザーを見る権限がありません", "You may not see this user")
	}
	return u, err
}

// ListUsers returns the accounts of the actor's municipality.
func (s *Service) ListUsers(ctx context.Context, a Actor) ([]User, error) {
	if !a.Can(PermUsersManage) {
		return nil, errs.New(errs.Forbidden, "ユーザー一覧を見る権限がありません", "You may not list users")
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.ListUsers, a.Municipality)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

var errBadLogin = errs.New(errs.Unauthorized, "メールアドレスまたはパスワードが正しくありません", "Wrong e-mail address or password")

// Login checks a password and opens a session, returning the cookie token.
// Too many failures for one address or from one IP address in the window
// lock sign-in for the rest of the window, whether or not the password is
// right.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (string, User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	since := store.Now().Add(-s.Window)
	var byEmail, byIP int
	if err := s.db.R.QueryRowContext(ctx, s.q.CountFailures, email, since, ip, since).Scan(&byEmail, &byIP); err != nil {
		return "", User{}, errs.Wrap(err, "count login failures")
	}
	if byEmail >= s.MaxFailuresPerEmail || byIP >= s.MaxFailuresPerIP {
		return "", User{}, errs.New(errs.RateLimited, "ログインの失敗が続いたため、しばらく（15分）ログインできません", "Too many failed sign-ins: please wait 15 minutes")
	}
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.UserByEmail, email))
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", User{}, errs.Wrap(err, "find user")
	}
	hash := dummyHash
	if found {
		hash = u.passwordHash
	}
	ok := CheckPassword(hash, password) && found && u.DisabledAt == nil
	if !ok {
		if _, err := s.db.W.ExecContext(ctx, s.q.InsertFailure, email, ip, store.Now()); err != nil {
			return "", User{}, errs.Wrap(err, "record login failure")
		}
		return "", User{}, errBadLogin
	}
	token := randomToken("")
	now := store.Now()
	if _, err := s.db.W.ExecContext(ctx, s.q.InsertSession, hashToken(token), u.ID, now, now.Add(s.SessionTTL), ip, truncate(userAgent, 300)); err != nil {
		return "", User{}, errs.Wrap(err, "create session")
	}
	return token, u, nil
}

// SessionUser returns the user of a live session.
func (s *Service) SessionUser(ctx context.Context, token string) (User, error) {
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.SessionUser, hashToken(token), store.Now()))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.DisabledAt != nil) {
		return User{}, errs.New(errs.Unauthorized, "ログインしてください", "Please sign in")
	}
	return u, err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.db.W.ExecContext(ctx, s.q.DeleteSession, hashToken(token))
	return err
}

// ChangePassword sets a user's own password, checking the current one.
func (s *Service) ChangePassword(ctx context.Context, a Actor, current, next string) error {
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.UserByID, a.UserID))
	if err != nil {
		return errs.Wrap(err, "find user")
	}
	var fe errs.Fields
	if !CheckPassword(u.passwordHash, current) {
		fe.Add("current_password", "現在のパスワードが正しくありません", "The current password is wrong")
	}
	if len([]rune(next)) < MinPasswordLength {
		fe.Add("new_password", "パスワードは10文字以上にしてください", "The password must have at least 10 characters")
	} else if next == current {
		fe.Add("new_password", "新しいパスワードは現在のものと違うものにしてください", "The new password must differ from the current one")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.setPassword(ctx, a, u, next, false)
}

// ResetPassword gives a user a new password (generated when empty) that must
// be changed at the next sign-in, and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, a Actor, userID int64, password string) (string, error) {
	if !a.Can(PermUsersManage) {
		return "", errs.New(errs.Forbidden, "パスワードを再設定する権限がありません", "You may not reset passwords")
	}
	u, err := s.User(ctx, a, userID)
	if err != nil {
		return "", err
	}
	if password == "" {
		password = GeneratePassword()
	}
	return password, s.setPassword(ctx, a, u, password, true)
}

func (s *Service) setPassword(ctx context.Context, a Actor, u User, password string, mustChange bool) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.SetPassword, hash, mustChange, store.Now(), u.ID); err != nil {
			return err
		}
		if mustChange {
			if _, err := tx.ExecContext(ctx, s.q.DeleteUserSessions, u.ID); err != nil {
				return err
			}
		}
		return s.Audit(ctx, tx, a, AuditEntry{Municipality: u.Municipality, Action: "user.password", Entity: "user", EntityID: itoa(u.ID)})
	})
}

// ClearPasswordChange lets a user keep a password that was set for them
// (demo accounts, whose passwords are printed at start).
func (s *Service) ClearPasswordChange(ctx context.Context, userID int64) error {
	_, err := s.db.W.ExecContext(ctx, s.q.ClearPasswordChange, userID)
	return err
}

// SetDisabled disables or re-enables an account; disabling ends its sessions.
func (s *Service) SetDisabled(ctx context.Context, a Actor, userID int64, disabled bool) error {
	if !a.Can(PermUsersManage) {
		return errs.New(errs.Forbidden, "ユーザーを無効にする権限がありません", "You may not disable users")
	}
	u, err := s.User(ctx, a, userID)
	if err != nil {
		return err
	}
	var at sql.NullTime
	if disabled {
		at = sql.NullTime{Time: store.Now(), Valid: true}
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.SetDisabled, at, store.Now(), u.ID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, s.q.DeleteUserSessions, u.ID); err != nil {
				return err
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return s.Audit(ctx, tx, a, AuditEntry{Municipality: u.Municipality, Action: action, Entity: "user", EntityID: itoa(u.ID)})
	})
}

// Prune deletes expired sessions and old login failures.
func (s *Service) Prune(ctx context.Context) error {
	now := store.Now()
	if _, err := s.db.W.ExecContext(ctx, s.q.PruneSessions, now); err != nil {
		return err
	}
	_, err := s.db.W.ExecContext(ctx, s.q.PruneFailures, now.Add(-24*time.Hour))
	return err
}

// TokenPrefix starts every API token, so a leaked token is easy to recognise.
const TokenPrefix = "mrk_"

func randomToken(prefix string) string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func itoa(n int64) string {
	return strconvFormat(n)
}
