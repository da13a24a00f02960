package org

import (
	"context"
	"fmt"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
)

// ListQuery selects organizations for the registry list and the API.
type ListQuery struct {
	Q           string      // words to find in names, reading, 法人番号 (all must match)
	Kind        Kind        // one kind, or all
	Status      Status      // active (default), archived, or "all"
	Published   *bool       // only published / only unpublished
	DraftStatus DraftStatus // e.g. submitted: the approval queue
	JSIC        string      // prefix of the JSIC code (中分類 "24" matches 2464)
	City        string      // location city name
	Facet       Facet       // with Term: organizations that have this capability
	Term        string
	Sort        string // "kana" (五十音, default), "updated", "created", "id"
	Page        int    // 1-based
	PerPage     int    // default 50, at most 500
}

// ListResult is one page of organizations.
type ListResult struct {
	Items   []Organization `json:"items"`
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"per_page"`
}

// Pages is the number of pages.
func (r ListResult) Pages() int {
	if r.PerPage == 0 {
		return 0
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

// sorts is the whitelist of orderings: user input never reaches ORDER BY.
var sorts = map[string]string{
	"kana":    "sort_key, id",
	"updated": "updated_at DESC, id DESC",
	"created": "created_at DESC, id DESC",
	"id":      "id",
	// newest in the public directory first
	"published": "published_at DESC, id DESC",
}

// List returns a page of the actor's municipality's organizations. Members
// and the public see only published, active organizations with the fields
// their level may see.
func (s *Service) List(ctx context.Context, a auth.Actor, q ListQuery) (ListResult, error) {
	cond, args, order, err := s.selection(a, &q)
	if err != nil {
		return ListResult{}, err
	}
	var res ListResult
	res.Page, res.PerPage = q.Page, q.PerPage
	if err := s.db.R.QueryRowContext(ctx, s.db.Rebind("SELECT COUNT(*) FROM organizations WHERE "+cond), args...).Scan(&res.Total); err != nil {
		return res, errs.Wrap(err, "count organizations")
	}
	query := fmt.Sprintf("SELECT %s FROM organizations WHERE %s ORDER BY %s LIMIT %d OFFSET %d", orgColumns, cond, order, q.PerPage, (q.Page-1)*q.PerPage)
	res.Items = []Organization{}
	err = s.scanEach(ctx, a, query, args, func(o Organization) error {
		res.Items = append(res.Items, o)
		return nil
	})
	return res, err
}

// Each calls fn with every organization the query selects (as List would
// show them to the actor, without paging and in no particular order),
// reading them in one pass: for building indexes and snapshots.
func (s *Service) Each(ctx context.Context, a auth.Actor, q ListQuery, fn func(Organization) error) error {
	cond, args, _, err := s.selection(a, &q)
	if err != nil {
		return err
	}
	return s.scanEach(ctx, a, "SELECT "+orgColumns+" FROM organizations WHERE "+cond, args, fn)
}

func (s *Service) scanEach(ctx context.Context, a auth.Actor, query string, args []any, fn func(Organization) error) error {
	rows, err := s.db.R.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return errs.Wrap(err, "list organizations")
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return errs.Wrap(err, "read organization")
		}
		if v, err := viewFor(a, o); err == nil {
			if err := fn(v); err != nil {
				return err
			}
		}
	}
	return errs.Wrap(rows.Err(), "list organizations")
}

// selection checks a query and turns it into a WHERE condition, its
// arguments and an ORDER BY.
func (s *Service) selection(a auth.Actor, q *ListQuery) (string, []any, string, error) {
	staff := a.Can(auth.PermRegistryRead)
	var fe errs.Fields
	if q.Kind != "" && !ValidKind(q.Kind) {
		fe.Add("kind", "種別は company, lab, university, bank, agency のいずれかです", "Kind is one of company, lab, university, bank, agency")
	}
	order, ok := sorts[q.Sort]
	if q.Sort == "" {
		order, ok = sorts["kana"], true
	}
	if !ok {
		fe.Add("sort", "並び順は kana, updated, created, published, id のいずれかです", "Sort is one of kana, updated, created, published, id")
	}
	if q.Facet != "" && !ValidFacet(q.Facet) {
		fe.Add("facet", "分類の種類が正しくありません", "Unknown vocabulary")
	}
	switch q.Status {
	case "", StatusActive, StatusArchived, "all":
	default:
		fe.Add("status", "状態は active, archived, all のいずれかです", "Status is one of active, archived, all")
	}
	if q.Page < 0 || q.Page > 100000 {
		fe.Add("page", "ページ番号が正しくありません", "The page number is out of range")
	}
	if q.PerPage < 0 || q.PerPage > 500 {
		fe.Add("per_page", "1ページの件数は1から500の間で指定してください", "per_page must be between 1 and 500")
	}
	if len([]rune(q.Q)) > 200 {
		fe.Add("q", "検索語は200文字以内にしてください", "The search text must be at most 200 characters")
	}
	if err := fe.Err(); err != nil {
		return "", nil, "", err
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = 50
	}

	where := []string{"municipality_code = ?"}
	args := []any{a.Municipality}
	if !staff {
		where = append(where, "published = ?", "status = 'active'")
		args = append(args, true)
	} else {
		switch q.Status {
		case "", StatusActive:
			where = append(where, "status = 'active'")
		case StatusArchived:
			where = append(where, "status = 'archived'")
		}
		if q.Published != nil {
			where = append(where, "published = ?")
			args = append(args, *q.Published)
		}
		if q.DraftStatus != "" {
			where = append(where, "draft_status = ?")
			args = append(args, string(q.DraftStatus))
		}
	}
	if q.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, string(q.Kind))
	}
	if q.JSIC != "" {
		where = append(where, "jsic_code LIKE ? ESCAPE '\\'")
		args = append(args, escapeLike(q.JSIC)+"%")
	}
	if q.City != "" {
		where = append(where, "city = ?")
		args = append(args, q.City)
	}
	if q.Facet != "" && q.Term != "" {
		where = append(where, "id IN (SELECT organization_id FROM organization_terms WHERE facet = ? AND term = ?)")
		args = append(args, string(q.Facet), q.Term)
	}
	for _, w := range strings.Fields(q.Q) {
		if k := jp.Fold(w); k != "" {
			where = append(where, "search_key LIKE ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(k)+"%")
		}
	}
	return strings.Join(where, " AND "), args, order, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
