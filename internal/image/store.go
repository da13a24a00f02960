package image

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/store"
)

// Store keeps clean images in the database, keyed by the SHA-256 of their
// bytes within a municipality, so that the same picture is stored once and an
// id cannot be guessed.
type Store struct {
	DB *store.DB
}

// Put stores a clean image for an organization of the actor's municipality
// and returns its id. Callers check that the actor may change the
// organization.
func (s *Store) Put(ctx context.Context, a auth.Actor, organizationID int64, c Clean) (string, error) {
	if c.Format != FormatJPEG && c.Format != FormatPNG {
		return "", fmt.Errorf("image: %q is not a clean format", c.Format)
	}
	sum := sha256.Sum256(c.Bytes)
	id := hex.EncodeToString(sum[:16])
	var org sql.NullInt64
	if organizationID != 0 {
		org = sql.NullInt64{Int64: organizationID, Valid: true}
	}
	_, err := s.DB.W.ExecContext(ctx, s.DB.Rebind(`INSERT INTO images (id, municipality_code, organization_id, format, width, height, bytes, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (municipality_code, id) DO NOTHING`),
		id, a.Municipality, org, c.Format, c.Width, c.Height, c.Bytes, a.Label(), store.Now())
	if err != nil {
		return "", errs.Wrap(err, "store image")
	}
	return id, nil
}

// Stored is an image as kept.
type Stored struct {
	ID     string
	Format string
	Bytes  []byte
}

// MIMEType is the image's media type.
func (s Stored) MIMEType() string {
	if s.Format == FormatPNG {
		return "image/png"
	}
	return "image/jpeg"
}

// Get returns an image of a municipality.
func (s *Store) Get(ctx context.Context, municipality, id string) (Stored, error) {
	st := Stored{ID: id}
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT format, bytes FROM images WHERE municipality_code = ? AND id = ?"), municipality, id).Scan(&st.Format, &st.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return st, errs.NotFoundf("画像が見つかりません", "No such image")
	}
	return st, errs.Wrap(err, "get image")
}

// Many returns the bytes of the images that exist among ids.
func (s *Store) Many(ctx context.Context, municipality string, ids []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, done := out[id]; done {
			continue
		}
		st, err := s.Get(ctx, municipality, id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = st.Bytes
	}
	return out, nil
}
