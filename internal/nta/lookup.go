package nta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

// Corporation is a row of the reference table, as lookups return it.
type Corporation struct {
	Record
	Status string `json:"status"` // "active" or "closed"
}

func selectSQL(where string) string {
	return "SELECT fields FROM corporations WHERE " + where
}

func scanCorporation(row interface{ Scan(...any) error }) (Corporation, error) {
	var fields string
	if err := row.Scan(&fields); err != nil {
		return Corporation{}, err
	}
	f := strings.Split(fields, fieldSep)
	if len(f) != Columns {
		return Corporation{}, fmt.Errorf("corporations: a stored row has %d fields", len(f))
	}
	c := Corporation{Record: recordFromFields(f), Status: "active"}
	if c.Closed() {
		c.Status = "closed"
	}
	return c, nil
}

// Get returns the corporation with the 法人番号.
func Get(ctx context.Context, db *store.DB, number string) (Corporation, error) {
	number = jp.NormalizeCorporateNumber(number)
	if err := jp.ValidateCorporateNumber(number); err != nil {
		var fe errs.Fields
		fe.AddErr("corporate_number", err)
		return Corporation{}, fe.Err()
	}
	cn, _ := strconv.ParseInt(number, 10, 64)
	c, err := scanCorporation(db.R.QueryRowContext(ctx, db.Rebind(selectSQL("corporate_number = ?")), cn))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf("この法人番号の法人は国税庁データにありません（データを取り込んでいない可能性があります）", "No corporation with this number in the NTA data (it may not have been imported)")
	}
	return c, errs.Wrap(err, "get corporation")
}

// Search finds corporations by 法人番号 (13 digits) or by the beginning of the
// name without its legal form, ignoring width and kana differences. Open
// corporations come before closed ones; prefecture narrows the search.
func Search(ctx context.Context, db *store.DB, q, prefecture string, limit int) ([]Corporation, error) {
	q = strings.TrimSpace(q)
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	if n := jp.NormalizeCorporateNumber(q); len(n) == 13 && isDigits(n) {
		c, err := Get(ctx, db, n)
		if errs.Is(err, errs.NotFound) {
			return []Corporation{}, nil
		}
		if err != nil {
			return nil, err
		}
		return []Corporation{c}, nil
	}
	key := NameKey(q)
	if key == "" {
		return []Corporation{}, nil
	}
	// A range scan on the name_key index: every key that starts with key,
	// read in batches. More is read than asked, so that open corporations
	// can be put first; with a prefecture, batches follow one another (up
	// to a bound) until enough of that prefecture are found.
	batch, batches := limit*4, 1
	if prefecture != "" {
		batch, batches = limit*20, 50
	}
	var open, closed []Corporation
	lastKey, lastNumber := key, int64(-1) // corporate_number is an integer column
	for i := 0; i < batches && len(open) < limit; i++ {
		rows, err := db.R.QueryContext(ctx, db.Rebind(selectSQL("name_key < ? AND (name_key > ? OR (name_key = ? AND corporate_number > ?))")+
			" ORDER BY name_key, corporate_number LIMIT ?"), key+"\U0010FFFF", lastKey, lastKey, lastNumber, batch)
		if err != nil {
			return nil, errs.Wrap(err, "search corporations")
		}
		n := 0
		for rows.Next() {
			c, err := scanCorporation(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			n++
			lastKey = NameKey(c.Name)
			lastNumber, _ = strconv.ParseInt(c.CorporateNumber, 10, 64)
			if prefecture != "" && c.PrefectureName != prefecture {
				continue
			}
			if c.Status == "closed" {
				closed = append(closed, c)
			} else {
				open = append(open, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "search corporations")
		}
		if n < batch {
			break
		}
	}
	out := append(open, closed...)
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []Corporation{}
	}
	return out, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Empty reports whether the reference table holds no corporation at all
// (without counting millions of rows).
func Empty(ctx context.Context, db *store.DB) (bool, error) {
	var n int
	err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM corporations LIMIT 1) AS one").Scan(&n)
	return n == 0, err
}

// Count returns how many corporations the reference table holds.
func Count(ctx context.Context, db *store.DB) (int, error) {
	var n int
	err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM corporations").Scan(&n)
	return n, err
}
