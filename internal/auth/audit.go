package auth

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"mieruka/internal/store"
)

// AuditEntry is one write, recorded in the same transaction as the write.
type AuditEntry struct {
	Municipality string // "" for national reference data
	Action       string // e.g. organization.update
	Entity       string // e.g. organization
	EntityID     string
	Before       any // nil, or a value marshalled to JSON
	After        any
}

// Audit appends an entry to the audit log inside tx.
func (s *Service) Audit(ctx context.Context, tx store.Querier, a Actor, e AuditEntry) error {
	before, err := jsonOrNil(e.Before)
	if err != nil {
		return err
	}
	after, err := jsonOrNil(e.After)
	if err != nil {
		return err
	}
	var actorID sql.NullInt64
	if a.UserID != 0 {
		actorID = sql.NullInt64{Int64: a.UserID, Valid: true}
	}
	var muni sql.NullString
	if e.Municipality != "" {
		muni = sql.NullString{String: e.Municipality, Valid: true}
	}
	_, err = tx.ExecContext(ctx, s.q.InsertAudit, store.Now(), muni, actorID, a.Label(), e.Action, e.Entity, e.EntityID, before, after, a.IP)
	return err
}

func jsonOrNil(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return sql.NullString{String: string(raw), Valid: len(raw) > 0}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// HistoryEntry is one change of an entity as the history page shows it.
type HistoryEntry struct {
	ID     int64           `json:"id"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// History returns the newest changes of an entity of a municipality.
func (s *Service) History(ctx context.Context, municipality, entity, id string, limit int) ([]HistoryEntry, error) {
	rows, err := s.db.R.QueryContext(ctx, s.q.EntityHistory, entity, id, municipality, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var before, after sql.NullString
		if err := rows.Scan(&h.ID, &h.At, &h.Actor, &h.Action, &before, &after); err != nil {
			return nil, err
		}
		if before.Valid {
			h.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			h.After = json.RawMessage(after.String)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Activity is one line of a municipality's recent activity.
type Activity struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Name     string    `json:"name"` // the organization's name or the user's e-mail
}

// RecentActivity lists the newest writes in a municipality (staff dashboard).
func (s *Service) RecentActivity(ctx context.Context, a Actor, limit int) ([]Activity, error) {
	if !a.Can(PermRegistryRead) {
		return nil, nil
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.RecentActivity, a.Municipality, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Activity
	for rows.Next() {
		var x Activity
		if err := rows.Scan(&x.ID, &x.At, &x.Actor, &x.Action, &x.Entity, &x.EntityID, &x.Name); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
