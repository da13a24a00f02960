package org

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"mieruka/internal/errs"
)

// jsonlSource reads JSON Lines: one jsonlRecord per line, blank lines
// skipped.
type jsonlSource struct {
	rs      io.ReadSeeker
	cleanup func()
}

func (j *jsonlSource) open() (rowReader, error) {
	if err := rewind(j.rs); err != nil {
		return nil, errs.Wrap(err, "read import")
	}
	sc := bufio.NewScanner(j.rs)
	sc.Buffer(make([]byte, 64<<10), maxJSONLine)
	return &jsonlRows{sc: sc}, nil
}

func (j *jsonlSource) warnings() []ImportWarning { return nil }
func (j *jsonlSource) close()                    { j.cleanup() }

type jsonlRows struct {
	sc   *bufio.Scanner
	line int
}

func (j *jsonlRows) next() (rawRow, error) {
	for j.sc.Scan() {
		j.line++
		b := j.sc.Bytes()
		if j.line == 1 {
			b = bytes.TrimPrefix(b, []byte(utf8BOM))
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if j.line == 1 && b[0] == '[' {
			return rawRow{}, errs.New(errs.BadRequest,
				"JSONの配列は読み込めません。1行に1件ずつのJSON Lines形式（エクスポートと同じ形式）にしてください",
				"A JSON array cannot be read; use JSON Lines, one organization per line, as the export writes")
		}
		return rawRow{line: j.line, cells: []string{string(b)}}, nil
	}
	if err := j.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return rawRow{}, errs.New(errs.TooLarge,
				fmt.Sprintf("%d行目が長すぎます（上限%dMB）", j.line+1, maxJSONLine>>20),
				fmt.Sprintf("Line %d is too long (at most %d MB)", j.line+1, maxJSONLine>>20))
		}
		return rawRow{}, errs.Wrap(err, "read import")
	}
	return rawRow{}, io.EOF
}

func (j *jsonlRows) close() {}

// jsonKeys are the keys of a line; others are reported once and skipped.
var jsonKeys = map[string]bool{"id": true, "external_id": true, "kind": true, "status": true, "published": true, "version": true,
	"profile": true, "updated_at": true, "created_at": true, "municipality_code": true}

// jsonInput reads a JSON Lines row.
func (im *importer) jsonInput(row rawRow) *rowInput {
	in := &rowInput{line: row.line}
	bad := func(field, ja, en string) {
		in.errs = append(in.errs, ImportRowError{Line: row.line, Field: field, JA: ja, EN: en})
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(row.cells[0]), &rec); err != nil || rec == nil {
		msg := "not an object"
		if err != nil {
			msg = err.Error()
		}
		bad("", "JSONとして読めません（"+msg+"）", "Not a JSON object: "+msg)
		return in
	}
	var unknown []string
	for k := range rec {
		if !jsonKeys[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		im.warnOnce("json:"+k, row.line, fmt.Sprintf("項目「%s」は使わない項目のため、読み飛ばしました", k), fmt.Sprintf("Skipped the unknown key %q", k))
	}
	field := func(key string, v any) bool {
		raw, ok := rec[key]
		if !ok || string(raw) == "null" {
			return false
		}
		if err := json.Unmarshal(raw, v); err != nil {
			bad(key, fmt.Sprintf("「%s」の値の形式が正しくありません（%s）", key, err), fmt.Sprintf("The value of %q is malformed: %s", key, err))
			return false
		}
		return true
	}
	field("id", &in.id)
	if in.id < 0 {
		bad("id", "id は正の整数です", "The id must be a positive whole number")
	}
	field("external_id", &in.externalID)
	var kind, status string
	if field("kind", &kind) && kind != "" {
		if k := Kind(kind); ValidKind(k) {
			in.kind = k
		} else {
			bad("kind", "種別は company, lab, university, bank, agency のいずれかです", "Kind is one of company, lab, university, bank, agency")
		}
	}
	if field("status", &status) && status != "" {
		if st := Status(status); st == StatusActive || st == StatusArchived {
			in.status = st
		} else {
			bad("status", "状態は active か archived です", "Status is active or archived")
		}
	}
	var published bool
	if field("published", &published) {
		in.published = &published
	}
	field("version", &in.version)
	raw, ok := rec["profile"]
	if !ok || string(raw) == "null" {
		bad("profile", "profile がありません", "The line has no profile")
		return in
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		// Unknown fields (from a newer version, say) are skipped with a
		// warning; anything else is an error of the row.
		if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
			name := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			im.warnOnce("json:profile."+name, row.line, fmt.Sprintf("項目「profile.%s」は使わない項目のため、読み飛ばしました", name), fmt.Sprintf("Skipped the unknown key \"profile.%s\"", name))
			p = Profile{}
			err = json.Unmarshal(raw, &p)
		}
		if err != nil {
			bad("profile", "profile の形式が正しくありません（"+err.Error()+"）", "The profile is malformed: "+err.Error())
			return in
		}
	}
	in.profile = &p
	return in
}
