package baseline

import (
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// FTS5 is an in-memory SQLite FTS5 table with the trigram tokenizer over the
// same normalised texts as BM25.
type FTS5 struct {
	db   *sql.DB
	stmt *sql.Stmt
}

// NewFTS5 creates the table and inserts texts in one transaction. dsn is a
// modernc.org/sqlite DSN; "" means a private in-memory database.
func NewFTS5(dsn string, ids, texts []string) (*FTS5, error) {
	if dsn == "" {
		dsn = "file::memory:"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one connection: the in-memory db lives in it
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(ext UNINDEXED, body, tokenize='trigram')`); err != nil {
		db.Close()
		return nil, err
	}
	tx, err := db.Begin()
	if err != nil {
		db.Close()
		return nil, err
	}
	ins, err := tx.Prepare(`INSERT INTO docs(rowid, ext, body) VALUES (?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		db.Close()
		return nil, err
	}
	for i, t := range texts {
		if _, err := ins.Exec(i+1, ids[i], Normalize(t)); err != nil {
			tx.Rollback()
			db.Close()
			return nil, err
		}
	}
	ins.Close()
	if err := tx.Commit(); err != nil {
		db.Close()
		return nil, err
	}
	stmt, err := db.Prepare(`SELECT ext, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?`)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &FTS5{db: db, stmt: stmt}, nil
}

// Close releases the database.
func (f *FTS5) Close() error {
	f.stmt.Close()
	return f.db.Close()
}

// TrigramQuery builds the MATCH expression: the query's trigrams (after
// normalisation, per whitespace-separated run) quoted and OR-ed. Runs shorter
// than three characters are left out (trigram cannot match them). Returns ""
// when nothing is left.
func TrigramQuery(q string) string {
	seen := map[string]bool{}
	var terms []string
	for _, w := range strings.FieldsFunc(Normalize(q), func(r rune) bool { return unicode.IsSpace(r) }) {
		r := []rune(w)
		for i := 0; i+3 <= len(r); i++ {
			g := string(r[i : i+3])
			if seen[g] {
				continue
			}
			seen[g] = true
			terms = append(terms, `"`+strings.ReplaceAll(g, `"`, `""`)+`"`)
		}
	}
	return strings.Join(terms, " OR ")
}

// Search returns up to n external ids ranked by FTS5's bm25.
func (f *FTS5) Search(q string, n int) ([]Result, error) {
	expr := TrigramQuery(q)
	if expr == "" {
		return nil, nil
	}
	rows, err := f.stmt.Query(expr, n)
	if err != nil {
		return nil, fmt.Errorf("fts5: %w", err)
	}
	defer rows.Close()
	var out []Result
	for rows.Next() {
		var r Result
		if err := rows.Scan(&r.ID, &r.Score); err != nil {
			return nil, err
		}
		r.Score = -r.Score
		out = append(out, r)
	}
	return out, rows.Err()
}

// DB exposes the database (for side tables in benchmarks).
func (f *FTS5) DB() *sql.DB { return f.db }
