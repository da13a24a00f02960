package store

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
)

// LoadQueries reads named queries from a .sql file into the string fields of
// the struct that dst points to. A block starts with a line
//
//	-- name: list-organizations
//
// and a block for one dialect only with
//
//	-- name: list-organizations postgres
//
// which replaces the common block for that dialect. Fields are matched by the
// tag `query:"list-organizations"`. A field without a query, or a query
// without a field, is an error: the file and the code cannot drift apart.
// Placeholders are rebound for the dialect.
func LoadQueries(dst any, fsys fs.FS, file string, d Dialect) error {
	f, err := fsys.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	common := map[string]string{}
	dialect := map[string]string{}
	var name, only string
	var body strings.Builder
	flush := func() {
		if name == "" {
			return
		}
		q := strings.TrimSpace(body.String())
		switch only {
		case "":
			common[name] = q
		case string(d):
			dialect[name] = q
		}
		body.Reset()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			flush()
			fields := strings.Fields(rest)
			if len(fields) == 0 || len(fields) > 2 {
				return fmt.Errorf("%s: bad name line %q", file, line)
			}
			name, only = fields[0], ""
			if len(fields) == 2 {
				only = fields[1]
				if only != string(SQLite) && only != string(Postgres) {
					return fmt.Errorf("%s: unknown dialect %q", file, only)
				}
			}
			continue
		}
		if name != "" {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	flush()
	for k, v := range dialect {
		common[k] = v
	}

	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	used := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("query")
		if tag == "" {
			continue
		}
		q, ok := common[tag]
		if !ok {
			return fmt.Errorf("%s: no query named %q", file, tag)
		}
		v.Field(i).SetString(Rebind(d, q))
		used[tag] = true
	}
	for k := range common {
		if !used[k] {
			return fmt.Errorf("%s: query %q is not used by %s", file, k, t.Name())
		}
	}
	return nil
}

// CheckQueries prepares every query held in the struct dst points to, so a
// query that does not fit the schema fails at start-up.
func (db *DB) CheckQueries(ctx context.Context, src any) error {
	v := reflect.ValueOf(src).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("query") == "" {
			continue
		}
		st, err := db.W.PrepareContext(ctx, v.Field(i).String())
		if err != nil {
			return fmt.Errorf("query %s: %w", t.Field(i).Tag.Get("query"), err)
		}
		st.Close()
	}
	return nil
}
