// Package municipality holds the tenants of a deployment: each municipality
// (keyed by its 全国地方公共団体コード) owns its own registry, users and records.
package municipality

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

// Municipality is a tenant.
type Municipality struct {
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	NameEN     string    `json:"name_en"`
	Prefecture string    `json:"prefecture"`
	Settings   Settings  `json:"settings"`
	CreatedAt  time.Time `json:"created_at"`
}

// DisplayName is the name in the language asked for.
func (m Municipality) DisplayName(lang string) string {
	if lang == "en" && m.NameEN != "" {
		return m.NameEN
	}
	return m.Name
}

// Settings are a municipality's own choices.
type Settings struct {
	// NotVisitedMonths: a company not visited for this long shows up in the
	// coordinators' planning list.
	NotVisitedMonths int `json:"not_visited_months,omitempty"`
	// StaffInbox receives copies of directory inquiries.
	StaffInbox string `json:"staff_inbox,omitempty"`
}

// Service reads and creates municipalities. They change rarely, so they are
// cached in memory after the first read.
type Service struct {
	db     *store.DB
	auth   *auth.Service
	mu     sync.RWMutex
	cache  map[string]Municipality
	loaded time.Time
	// gen counts invalidations: a load that began before one must not store
	// what it read, or a change made meanwhile would be forgotten.
	gen int
}

// cacheTTL bounds how long a settings change on another instance goes
// unseen.
const cacheTTL = 30 * time.Second

// NewService returns a municipality service.
func NewService(db *store.DB, a *auth.Service) *Service {
	return &Service{db: db, auth: a}
}

// Create adds a municipality. The code must carry a valid check digit.
func (s *Service) Create(ctx context.Context, a auth.Actor, m Municipality) (Municipality, error) {
	if a.System == "" {
		return m, errs.New(errs.Forbidden, "自治体の追加はコマンドラインから行います", "Municipalities are added from the command line")
	}
	var fe errs.Fields
	m.Code = strings.TrimSpace(m.Code)
	if err := jp.ValidateLocalGovCode(m.Code); err != nil {
		fe.AddErr("code", err)
	}
	if m.Name == "" && fe == nil {
		if ja, en, ok := jp.MunicipalityName(m.Code); ok {
			m.Name, m.NameEN = ja, en
		}
	}
	if strings.TrimSpace(m.Name) == "" {
		fe.Add("name", "自治体名を入力してください", "Enter the municipality's name")
	}
	if err := fe.Err(); err != nil {
		return m, err
	}
	if m.Settings.NotVisitedMonths == 0 {
		m.Settings.NotVisitedMonths = 12
	}
	settings, _ := json.Marshal(m.Settings)
	m.CreatedAt = store.Now()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind("INSERT INTO municipalities (code, name, name_en, prefecture, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
			m.Code, m.Name, m.NameEN, m.Prefecture, string(settings), m.CreatedAt); err != nil {
			return err
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: m.Code, Action: "municipality.create", Entity: "municipality", EntityID: m.Code, After: m})
	})
	if store.IsUniqueViolation(err) {
		return m, errs.Fields{{Field: "code", JA: "この自治体は既に登録されています", EN: "This municipality already exists"}}.Err()
	}
	if err != nil {
		return m, errs.Wrap(err, "create municipality")
	}
	s.mu.Lock()
	s.cache = nil
	s.gen++
	s.mu.Unlock()
	return m, nil
}

// Get returns a municipality by code.
func (s *Service) Get(ctx context.Context, code string) (Municipality, error) {
	all, err := s.all(ctx)
	if err != nil {
		return Municipality{}, err
	}
	m, ok := all[code]
	if !ok {
		return m, errs.NotFoundf("自治体が見つかりません", "No such municipality")
	}
	return m, nil
}

// List returns every municipality, ordered by code.
func (s *Service) List(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.R.QueryContext(ctx, "SELECT code, name, name_en, prefecture, settings, created_at FROM municipalities ORDER BY code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Municipality
	for rows.Next() {
		var m Municipality
		var settings string
		if err := rows.Scan(&m.Code, &m.Name, &m.NameEN, &m.Prefecture, &settings, &m.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(settings), &m.Settings); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Service) all(ctx context.Context) (map[string]Municipality, error) {
	s.mu.RLock()
	c, loaded, gen := s.cache, s.loaded, s.gen
	s.mu.RUnlock()
	if c != nil && time.Since(loaded) < cacheTTL {
		return c, nil
	}
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	c = make(map[string]Municipality, len(list))
	for _, m := range list {
		c[m.Code] = m
	}
	s.mu.Lock()
	if s.gen == gen {
		s.cache, s.loaded = c, time.Now()
	}
	s.mu.Unlock()
	return c, nil
}

// Exists reports whether the code names a municipality of this deployment.
func (s *Service) Exists(ctx context.Context, code string) bool {
	_, err := s.Get(ctx, code)
	return err == nil
}

// UpdateSettings changes the actor's municipality's settings (admins).
func (s *Service) UpdateSettings(ctx context.Context, a auth.Actor, st Settings) (Municipality, error) {
	if !a.Can(auth.PermUsersManage) {
		return Municipality{}, errs.New(errs.Forbidden, "自治体の設定を変更する権限がありません", "You may not change the municipality's settings")
	}
	var fe errs.Fields
	st.StaffInbox = strings.TrimSpace(st.StaffInbox)
	if st.StaffInbox != "" {
		if addr, err := mail.ParseAddress(st.StaffInbox); err != nil || !strings.Contains(addr.Address, "@") {
			fe.Add("staff_inbox", "メールアドレスの形式が正しくありません", "The e-mail address is not valid")
		}
	}
	if st.NotVisitedMonths < 1 || st.NotVisitedMonths > 120 {
		fe.Add("not_visited_months", "訪問間隔は1か月から120か月の間で指定してください", "The visiting interval must be between 1 and 120 months")
	}
	if err := fe.Err(); err != nil {
		return Municipality{}, err
	}
	cur, err := s.Get(ctx, a.Municipality)
	if err != nil {
		return cur, err
	}
	b, _ := json.Marshal(st)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind("UPDATE municipalities SET settings = ? WHERE code = ?"), string(b), a.Municipality); err != nil {
			return err
		}
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "municipality.settings", Entity: "municipality", EntityID: a.Municipality,
			Before: cur.Settings, After: st})
	})
	if err != nil {
		return cur, errs.Wrap(err, "update settings")
	}
	s.mu.Lock()
	s.cache = nil
	s.gen++
	s.mu.Unlock()
	cur.Settings = st
	return cur, nil
}

// ErrNoMunicipalities is returned when the deployment has none yet.
var ErrNoMunicipalities = errors.New("no municipality has been set up yet")
