package auth

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/store"
)

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

// Token is an API token as listed; the secret itself is shown only once.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CreateToken makes a new API token for a user and returns its secret. Users
// make tokens for themselves; admins for anyone of their municipality.
func (s *Service) CreateToken(ctx context.Context, a Actor, userID int64, name string) (string, Token, error) {
	if userID != a.UserID && !a.Can(PermUsersManage) {
		return "", Token{}, errs.New(errs.Forbidden, "他のユーザーのトークンは作成できません", "You may not create tokens for other users")
	}
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.UserByID, userID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Municipality != a.Municipality) {
		return "", Token{}, errs.NotFoundf("ユーザーが見つかりません", "No such user")
	}
	if err != nil {
		return "", Token{}, errs.Wrap(err, "find user")
	}
	if len([]rune(name)) > 100 {
		return "", Token{}, errs.Fields{{Field: "name", JA: "名前は100文字以内にしてください", EN: "The name must be at most 100 characters"}}.Err()
	}
	secret := randomToken(TokenPrefix)
	t := Token{UserID: u.ID, Email: u.Email, Name: name, CreatedAt: store.Now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q.InsertToken, u.ID, name, hashToken(secret), t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Municipality: u.Municipality, Action: "token.create", Entity: "api_token", EntityID: itoa(t.ID), After: t})
	})
	if err != nil {
		return "", Token{}, errs.Wrap(err, "create token")
	}
	return secret, t, nil
}

// TokenUser returns the user an API token belongs to.
func (s *Service) TokenUser(ctx context.Context, secret string) (User, error) {
	var id int64
	var last sql.NullTime
	u, err := scanUser(s.db.R.QueryRowContext(ctx, s.q.TokenUser, hashToken(secret)), &id, &last)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.DisabledAt != nil) {
		return User{}, errs.New(errs.Unauthorized, "APIトークンが無効です", "The API token is not valid")
	}
	if err != nil {
		return User{}, err
	}
	// Record use at most every few minutes: one write per API call would
	// queue every reader behind SQLite's single writer.
	if now := store.Now(); !last.Valid || now.Sub(last.Time) > 5*time.Minute {
		s.db.W.ExecContext(ctx, s.q.TouchToken, now, id)
	}
	return u, nil
}

// ListTokens lists the tokens of one user (0: all users, admins only).
func (s *Service) ListTokens(ctx context.Context, a Actor, userID int64) ([]Token, error) {
	if userID != a.UserID && !a.Can(PermUsersManage) {
		return nil, errs.New(errs.Forbidden, "他のユーザーのトークンは見られません", "You may not list other users' tokens")
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.ListTokens, a.Municipality, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func scanToken(row interface{ Scan(...any) error }, extra ...any) (Token, error) {
	var t Token
	var last, revoked sql.NullTime
	if err := row.Scan(append([]any{&t.ID, &t.UserID, &t.Email, &t.Name, &t.CreatedAt, &last, &revoked}, extra...)...); err != nil {
		return t, err
	}
	if last.Valid {
		t.LastUsedAt = &last.Time
	}
	if revoked.Valid {
		t.RevokedAt = &revoked.Time
	}
	return t, nil
}

// RevokeToken stops a token from working.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id int64) error {
	var muni string
	t, err := scanToken(s.db.R.QueryRowContext(ctx, s.q.TokenByID, id), &muni)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && muni != a.Municipality) {
		return errs.NotFoundf("トークンが見つかりません", "No such token")
	}
	if err != nil {
		return errs.Wrap(err, "find token")
	}
	if t.UserID != a.UserID && !a.Can(PermUsersManage) {
		return errs.New(errs.Forbidden, "他のユーザーのトークンは取り消せません", "You may not revoke other users' tokens")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.RevokeToken, store.Now(), id); err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Municipality: muni, Action: "token.revoke", Entity: "api_token", EntityID: itoa(id)})
	})
}
