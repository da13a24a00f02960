package org

import (
	"context"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/store"
)

//go:embed queries.sql
var queryFiles embed.FS

type queries struct {
	OrgByID                 string `query:"org-by-id"`
	OrgByExternalID         string `query:"org-by-external-id"`
	OrgByCorporateNumber    string `query:"org-by-corporate-number"`
	InsertOrg               string `query:"insert-org"`
	UpdateProfile           string `query:"update-profile"`
	UpdateDraft             string `query:"update-draft"`
	SetPublished            string `query:"set-published"`
	SetStatus               string `query:"set-status"`
	DeleteTerms             string `query:"delete-terms"`
	InsertTerm              string `query:"insert-term"`
	ListTerms               string `query:"list-terms"`
	SeedTerm                string `query:"seed-term"`
	UpsertTerm              string `query:"upsert-term"`
	DeleteTerm              string `query:"delete-term"`
	CountTermUse            string `query:"count-term-use"`
	SetNTAState             string `query:"set-nta-state"`
	OrgsWithCorporateNumber string `query:"orgs-with-corporate-number"`
	SetFeatured             string `query:"set-featured"`
}

// Service runs the registry.
type Service struct {
	db   *store.DB
	q    queries
	auth *auth.Service
	tax  taxonomyCache

	mu        sync.RWMutex
	listeners []func(Change)
}

// Change tells listeners (the search index, caches) that an organization's
// approved profile, publication or status changed.
type Change struct {
	Municipality string
	ID           int64
	Action       string
}

// NewService prepares the registry's queries against db.
func NewService(ctx context.Context, db *store.DB, a *auth.Service) (*Service, error) {
	s := &Service{db: db, auth: a}
	if err := store.LoadQueries(&s.q, queryFiles, "queries.sql", db.Dialect); err != nil {
		return nil, err
	}
	if err := db.CheckQueries(ctx, &s.q); err != nil {
		return nil, err
	}
	return s, nil
}

// OnChange registers fn to be called after every committed change.
func (s *Service) OnChange(fn func(Change)) {
	s.mu.Lock()
	s.listeners = append(s.listeners, fn)
	s.mu.Unlock()
}

func (s *Service) notify(c Change) {
	s.mu.RLock()
	ls := s.listeners
	s.mu.RUnlock()
	for _, fn := range ls {
		fn(c)
	}
}

const orgColumns = `id, municipality_code, external_id, kind, status, published, profile, version,
	draft, draft_status, draft_by, draft_at, draft_note, published_at, archived_at, archive_reason,
	closed_on, close_cause, successor_corporate_number, created_at, updated_at, featured`

func scanOrg(row interface{ Scan(...any) error }) (Organization, error) {
	var o Organization
	var ext, draft, draftStatus sql.NullString
	var profile string
	var draftBy sql.NullInt64
	var draftAt, publishedAt, archivedAt sql.NullTime
	err := row.Scan(&o.ID, &o.Municipality, &ext, &o.Kind, &o.Status, &o.Published, &profile, &o.Version,
		&draft, &draftStatus, &draftBy, &draftAt, &o.DraftNote, &publishedAt, &archivedAt, &o.ArchiveReason,
		&o.ClosedOn, &o.CloseCause, &o.SuccessorCorporateNumber, &o.CreatedAt, &o.UpdatedAt, &o.Featured)
	if err != nil {
		return o, err
	}
	o.ExternalID = ext.String
	if err := json.Unmarshal([]byte(profile), &o.Profile); err != nil {
		return o, err
	}
	if draft.Valid {
		o.Draft = new(Profile)
		if err := json.Unmarshal([]byte(draft.String), o.Draft); err != nil {
			return o, err
		}
	}
	o.DraftStatus = DraftStatus(draftStatus.String)
	o.DraftBy = draftBy.Int64
	o.DraftAt = timePtr(draftAt)
	o.PublishedAt = timePtr(publishedAt)
	o.ArchivedAt = timePtr(archivedAt)
	return o, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

var errNotFound = errs.NotFoundf("組織が見つかりません", "No such organization")

// load reads an organization of the actor's municipality, unfiltered.
func (s *Service) load(ctx context.Context, q store.Querier, a auth.Actor, id int64) (Organization, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, s.q.OrgByID, id, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return o, errNotFound
	}
	if err != nil {
		return o, errs.Wrap(err, "load organization")
	}
	return o, nil
}

// viewFor returns what the actor may see of o, or not found.
func viewFor(a auth.Actor, o Organization) (Organization, error) {
	switch {
	case a.Can(auth.PermRegistryRead):
		return o, nil
	case a.Role == auth.RoleMember && a.OrganizationID == o.ID:
		// Members see their own organization entirely, but for the
		// coordinators' internal notes.
		o.Profile.Notes = ""
		if o.Draft != nil {
			d := *o.Draft
			d.Notes = ""
			o.Draft = &d
		}
		return o, nil
	}
	if !o.Published || o.Status != StatusActive {
		return Organization{}, errNotFound
	}
	level := Public
	if a.SignedIn() {
		level = Partners
	}
	return Organization{
		ID: o.ID, Municipality: o.Municipality, ExternalID: o.ExternalID, Kind: o.Kind, Status: o.Status,
		Published: true, Featured: o.Featured, Profile: o.Profile.Visible(level), Version: o.Version,
		PublishedAt: o.PublishedAt, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}, nil
}

// Get returns an organization as the actor may see it: staff see everything,
// a member their own organization with its draft, everyone else the
// published profile's fields at their level — and nobody anything of another
// municipality.
func (s *Service) Get(ctx context.Context, a auth.Actor, id int64) (Organization, error) {
	o, err := s.load(ctx, s.db.R, a, id)
	if err != nil {
		return o, err
	}
	return viewFor(a, o)
}

// GetByExternalID is Get by the id an organization has in its source (C0001).
func (s *Service) GetByExternalID(ctx context.Context, a auth.Actor, ext string) (Organization, error) {
	o, err := scanOrg(s.db.R.QueryRowContext(ctx, s.q.OrgByExternalID, ext, a.Municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return o, errNotFound
	}
	if err != nil {
		return o, errs.Wrap(err, "load organization")
	}
	return viewFor(a, o)
}

// Lookup finds an organization by database id or, failing that, external id.
func (s *Service) Lookup(ctx context.Context, a auth.Actor, ref string) (Organization, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.Get(ctx, a, id)
	}
	return s.GetByExternalID(ctx, a, ref)
}

// NewOrganization is what creating an organization takes.
type NewOrganization struct {
	Kind       Kind    `json:"kind"`
	ExternalID string  `json:"external_id,omitempty"`
	Published  bool    `json:"published"`
	Profile    Profile `json:"profile"`
}

// derived are the columns computed from a profile for listing and search.
type derived struct {
	corporateNumber sql.NullString
	sortKey         string
	searchKey       string
	city            string
}

func derive(p *Profile, externalID string) derived {
	d := derived{city: p.Address.City}
	if p.CorporateNumber != "" {
		d.corporateNumber = sql.NullString{String: p.CorporateNumber, Valid: true}
	}
	reading := p.NameKana
	if reading == "" {
		reading = jp.StripLegalForm(p.Name)
	}
	// SortKey is raw bytes (with NULs PostgreSQL's TEXT refuses); hex keeps
	// its byte order and is plain text in both databases.
	d.sortKey = hex.EncodeToString([]byte(jp.SortKey(reading)))
	d.searchKey = SearchKey(p, externalID)
	return d
}

// SearchKey is the folded text the registry list searches in: names,
// reading, English name, 法人番号 and external id.
func SearchKey(p *Profile, externalID string) string {
	parts := []string{p.Name, jp.StripLegalForm(p.Name), p.NameKana, p.NameEN, p.CorporateNumber, externalID, p.University, p.Lab}
	var b strings.Builder
	for _, x := range parts {
		if x = jp.Fold(x); x != "" {
			b.WriteString(x)
			b.WriteByte('|')
		}
	}
	return b.String()
}

func (s *Service) checkNew(ctx context.Context, a auth.Actor, in *NewOrganization) (*Taxonomy, error) {
	tax, err := s.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return nil, err
	}
	var fe errs.Fields
	if !ValidKind(in.Kind) {
		fe.Add("kind", "種別は company, lab, university, bank, agency のいずれかです", "Kind is one of company, lab, university, bank, agency")
	}
	in.ExternalID = cleanLine(in.ExternalID)
	if len(in.ExternalID) > 64 {
		fe.Add("external_id", "外部IDは64文字以内にしてください", "The external id must be at most 64 characters")
	}
	if err := in.Profile.Normalize(tax); err != nil {
		fe = append(fe, errs.As(err).Fields...)
	}
	return tax, fe.Err()
}

// Create adds an organization to the actor's municipality.
func (s *Service) Create(ctx context.Context, a auth.Actor, in NewOrganization) (Organization, error) {
	if !a.Can(auth.PermRegistryEdit) {
		return Organization{}, errs.New(errs.Forbidden, "組織を登録する権限がありません", "You may not add organizations")
	}
	if _, err := s.checkNew(ctx, a, &in); err != nil {
		return Organization{}, err
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = s.insert(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return Organization{}, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "create"})
	return o, nil
}

func (s *Service) insert(ctx context.Context, tx *sql.Tx, a auth.Actor, in NewOrganization) (Organization, error) {
	now := store.Now()
	d := derive(&in.Profile, in.ExternalID)
	profile, err := json.Marshal(in.Profile)
	if err != nil {
		return Organization{}, err
	}
	var ext sql.NullString
	if in.ExternalID != "" {
		ext = sql.NullString{String: in.ExternalID, Valid: true}
	}
	var publishedAt sql.NullTime
	if in.Published {
		publishedAt = sql.NullTime{Time: now, Valid: true}
	}
	o := Organization{Municipality: a.Municipality, ExternalID: in.ExternalID, Kind: in.Kind, Status: StatusActive, Published: in.Published,
		Profile: in.Profile, Version: 1, PublishedAt: timePtr(publishedAt), CreatedAt: now, UpdatedAt: now}
	err = tx.QueryRowContext(ctx, s.q.InsertOrg, a.Municipality, ext, in.Kind, in.Published, d.corporateNumber,
		in.Profile.Name, in.Profile.NameKana, in.Profile.NameEN, d.sortKey, d.searchKey, in.Profile.JSICCode, d.city,
		string(profile), publishedAt, now, now).Scan(&o.ID)
	if err != nil {
		return o, uniqueErr(err)
	}
	if err := s.writeTerms(ctx, tx, o.ID, &in.Profile); err != nil {
		return o, err
	}
	if err := s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "organization.create", Entity: "organization", EntityID: itoa(o.ID), After: auditView(o)}); err != nil {
		return o, err
	}
	return o, nil
}

// auditView is what the history keeps of an organization: the profile and
// the state around it, without the draft.
func auditView(o Organization) map[string]any {
	return map[string]any{"kind": o.Kind, "external_id": o.ExternalID, "status": o.Status, "published": o.Published, "profile": o.Profile}
}

func uniqueErr(err error) error {
	if store.IsUniqueViolation(err) {
		msg := err.Error()
		if strings.Contains(msg, "corporate_number") {
			return errs.Fields{{Field: "corporate_number", JA: "この法人番号の組織は既に登録されています", EN: "An organization with this corporate number is already registered"}}.Err()
		}
		if strings.Contains(msg, "external_id") {
			return errs.Fields{{Field: "external_id", JA: "この外部IDの組織は既に登録されています", EN: "An organization with this external id is already registered"}}.Err()
		}
	}
	return errs.Wrap(err, "save organization")
}

func (s *Service) writeTerms(ctx context.Context, tx *sql.Tx, id int64, p *Profile) error {
	if _, err := tx.ExecContext(ctx, s.q.DeleteTerms, id); err != nil {
		return err
	}
	for _, ft := range profileTerms(p) {
		if _, err := tx.ExecContext(ctx, s.q.InsertTerm, id, ft.facet, ft.term); err != nil {
			return err
		}
	}
	return nil
}

type facetTerm struct {
	facet Facet
	term  string
}

func profileTerms(p *Profile) []facetTerm {
	var out []facetTerm
	seen := map[facetTerm]bool{}
	add := func(f Facet, list []string) {
		for _, t := range list {
			ft := facetTerm{f, t}
			if !seen[ft] {
				seen[ft] = true
				out = append(out, ft)
			}
		}
	}
	add(FacetProcess, p.Processes)
	add(FacetMaterial, p.Materials)
	add(FacetCertification, p.Certifications)
	add(FacetLot, p.Lot)
	add(FacetSpecialty, p.Specialties)
	add(FacetMarket, p.Markets)
	add(FacetResearchTopic, p.ResearchTopics)
	add(FacetCollaboration, p.Collaboration)
	return out
}

func conflict(current Organization) error {
	e := errs.New(errs.Conflict,
		"他の人がこの組織を先に更新しました。最新の内容を確認してから、もう一度変更してください",
		"Someone else changed this organization first. Check the current version, then make your change again")
	e.Current = current
	return e
}

// Update replaces the approved profile directly (staff and coordinators).
// version must be the version the editor started from; if the organization
// changed since, the edit is refused with a conflict that carries the
// current version.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, version int, p Profile) (Organization, error) {
	if !a.Can(auth.PermRegistryEdit) {
		return Organization{}, errs.New(errs.Forbidden, "組織を編集する権限がありません", "You may not edit organizations")
	}
	tax, err := s.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return Organization{}, err
	}
	if err := p.Normalize(tax); err != nil {
		return Organization{}, err
	}
	var o Organization
	changed := false
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict(cur)
		}
		o, changed, err = s.writeProfile(ctx, tx, a, cur, p, "organization.update")
		return err
	})
	if err != nil {
		return Organization{}, err
	}
	if changed {
		s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "update"})
	}
	return o, nil
}

// writeProfile stores p as the approved profile of cur inside tx, unless it
// is the same as what is stored.
func (s *Service) writeProfile(ctx context.Context, tx *sql.Tx, a auth.Actor, cur Organization, p Profile, action string) (Organization, bool, error) {
	before, _ := json.Marshal(cur.Profile)
	after, err := json.Marshal(p)
	if err != nil {
		return cur, false, err
	}
	if string(before) == string(after) {
		return cur, false, nil
	}
	d := derive(&p, cur.ExternalID)
	now := store.Now()
	res, err := tx.ExecContext(ctx, s.q.UpdateProfile, d.corporateNumber, p.Name, p.NameKana, p.NameEN, d.sortKey, d.searchKey,
		p.JSICCode, d.city, string(after), now, cur.ID, a.Municipality, cur.Version)
	if err != nil {
		return cur, false, uniqueErr(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cur, false, conflict(cur)
	}
	o := cur
	o.Profile, o.Version, o.UpdatedAt = p, cur.Version+1, now
	if err := s.writeTerms(ctx, tx, o.ID, &p); err != nil {
		return cur, false, err
	}
	err = s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: action, Entity: "organization", EntityID: itoa(o.ID),
		Before: auditView(cur), After: auditView(o)})
	return o, true, err
}

// SaveDraft stores a member's proposed profile for their own organization;
// with submit it goes to staff for approval. Members cannot change the
// expert's assessment or internal notes: those stay as staff wrote them.
func (s *Service) SaveDraft(ctx context.Context, a auth.Actor, id int64, version int, p Profile, submit bool) (Organization, error) {
	if !(a.Can(auth.PermOwnProfile) && a.OrganizationID == id) && !a.Can(auth.PermRegistryEdit) {
		if a.Can(auth.PermOwnProfile) {
			return Organization{}, errNotFound
		}
		return Organization{}, errs.New(errs.Forbidden, "この組織の下書きを編集する権限がありません", "You may not edit this organization's draft")
	}
	tax, err := s.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return Organization{}, err
	}
	if err := p.Normalize(tax); err != nil {
		return Organization{}, err
	}
	var o Organization
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			v, _ := viewFor(a, cur)
			return conflict(v)
		}
		p.Strengths, p.Notes = cur.Profile.Strengths, cur.Profile.Notes
		status, action := DraftEditing, "organization.draft"
		if submit {
			status, action = DraftSubmitted, "organization.submit"
		}
		draft, err := json.Marshal(p)
		if err != nil {
			return err
		}
		now := store.Now()
		res, err := tx.ExecContext(ctx, s.q.UpdateDraft, string(draft), string(status), a.UserID, now, "", now, id, a.Municipality, cur.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return conflict(cur)
		}
		o = cur
		o.Draft, o.DraftStatus, o.DraftBy, o.DraftAt, o.DraftNote, o.Version, o.UpdatedAt = &p, status, a.UserID, &now, "", cur.Version+1, now
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: action, Entity: "organization", EntityID: itoa(id), After: map[string]any{"draft": p}})
	})
	if err != nil {
		return Organization{}, err
	}
	return viewFor(a, o)
}

// Approve makes a submitted draft the approved profile.
func (s *Service) Approve(ctx context.Context, a auth.Actor, id int64, version int) (Organization, error) {
	if !a.Can(auth.PermRegistryManage) {
		return Organization{}, errs.New(errs.Forbidden, "下書きを承認する権限がありません", "You may not approve drafts")
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict(cur)
		}
		if cur.Draft == nil || cur.DraftStatus != DraftSubmitted {
			return errs.New(errs.Conflict, "承認待ちの下書きがありません", "There is no draft waiting for approval")
		}
		p := *cur.Draft
		p.Strengths, p.Notes = cur.Profile.Strengths, cur.Profile.Notes
		o, _, err = s.writeProfile(ctx, tx, a, cur, p, "organization.approve")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q.UpdateDraft, nil, nil, nil, nil, "", store.Now(), id, a.Municipality, o.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return conflict(cur)
		}
		o.Draft, o.DraftStatus, o.DraftBy, o.DraftAt, o.DraftNote, o.Version = nil, DraftNone, 0, nil, "", o.Version+1
		return nil
	})
	if err != nil {
		return Organization{}, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "approve"})
	return o, nil
}

// Reject sends a submitted draft back to the member with a note.
func (s *Service) Reject(ctx context.Context, a auth.Actor, id int64, version int, note string) (Organization, error) {
	if !a.Can(auth.PermRegistryManage) {
		return Organization{}, errs.New(errs.Forbidden, "下書きを差し戻す権限がありません", "You may not send drafts back")
	}
	note = cleanText(note)
	if note == "" {
		return Organization{}, errs.Fields{{Field: "note", JA: "差し戻しの理由を入力してください", EN: "Say why the draft is sent back"}}.Err()
	}
	if len([]rune(note)) > 2000 {
		return Organization{}, errs.Fields{{Field: "note", JA: "理由は2000文字以内にしてください", EN: "The reason must be at most 2000 characters"}}.Err()
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict(cur)
		}
		if cur.Draft == nil || cur.DraftStatus != DraftSubmitted {
			return errs.New(errs.Conflict, "承認待ちの下書きがありません", "There is no draft waiting for approval")
		}
		draft, _ := json.Marshal(cur.Draft)
		now := store.Now()
		if err := one(tx.ExecContext(ctx, s.q.UpdateDraft, string(draft), string(DraftRejected), cur.DraftBy, cur.DraftAt, note, now, id, a.Municipality, cur.Version))(cur); err != nil {
			return err
		}
		o = cur
		o.DraftStatus, o.DraftNote, o.Version, o.UpdatedAt = DraftRejected, note, cur.Version+1, now
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "organization.reject", Entity: "organization", EntityID: itoa(id), After: map[string]any{"note": note}})
	})
	return o, err
}

// SetPublished shows or hides an organization in the public directory.
func (s *Service) SetPublished(ctx context.Context, a auth.Actor, id int64, version int, published bool) (Organization, error) {
	if !a.Can(auth.PermRegistryManage) {
		return Organization{}, errs.New(errs.Forbidden, "公開状態を変更する権限がありません", "You may not publish or unpublish organizations")
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict(cur)
		}
		o, err = s.writePublished(ctx, tx, a, cur, published)
		return err
	})
	if err != nil {
		return Organization{}, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "publish"})
	return o, nil
}

// writePublished sets publication inside tx, with its history entry.
func (s *Service) writePublished(ctx context.Context, tx *sql.Tx, a auth.Actor, cur Organization, published bool) (Organization, error) {
	now := store.Now()
	at := sql.NullTime{Time: now, Valid: published}
	if err := one(tx.ExecContext(ctx, s.q.SetPublished, published, at, now, cur.ID, a.Municipality, cur.Version))(cur); err != nil {
		return cur, err
	}
	o := cur
	o.Published, o.PublishedAt, o.Version, o.UpdatedAt = published, timePtr(at), cur.Version+1, now
	action := "organization.unpublish"
	if published {
		action = "organization.publish"
	}
	err := s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: action, Entity: "organization", EntityID: itoa(cur.ID),
		Before: map[string]any{"published": cur.Published}, After: map[string]any{"published": published}})
	return o, err
}

// SetFeatured puts an organization on (or takes it off) the public home
// page's list of featured companies and labs.
func (s *Service) SetFeatured(ctx context.Context, a auth.Actor, id int64, version int, featured bool) (Organization, error) {
	if !a.Can(auth.PermRegistryManage) {
		return Organization{}, errs.New(errs.Forbidden, "紹介する組織を選ぶ権限がありません", "You may not choose featured organizations")
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict(cur)
		}
		now := store.Now()
		if err := one(tx.ExecContext(ctx, s.q.SetFeatured, featured, now, id, a.Municipality, cur.Version))(cur); err != nil {
			return err
		}
		o = cur
		o.Featured, o.Version, o.UpdatedAt = featured, cur.Version+1, now
		return s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: "organization.feature", Entity: "organization", EntityID: itoa(id),
			Before: map[string]any{"featured": cur.Featured}, After: map[string]any{"featured": featured}})
	})
	if err != nil {
		return Organization{}, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: "feature"})
	return o, nil
}

// Archive takes an organization out of use (it stays in the registry with
// its history); Restore brings it back.
func (s *Service) Archive(ctx context.Context, a auth.Actor, id int64, version int, reason string) (Organization, error) {
	return s.setStatus(ctx, a, id, version, StatusArchived, reason)
}

// Restore undoes Archive.
func (s *Service) Restore(ctx context.Context, a auth.Actor, id int64, version int) (Organization, error) {
	return s.setStatus(ctx, a, id, version, StatusActive, "")
}

func (s *Service) setStatus(ctx context.Context, a auth.Actor, id int64, version int, status Status, reason string) (Organization, error) {
	if !a.Can(auth.PermRegistryManage) {
		return Organization{}, errs.New(errs.Forbidden, "組織をアーカイブする権限がありません", "You may not archive organizations")
	}
	reason = cleanText(reason)
	if len([]rune(reason)) > 1000 {
		return Organization{}, errs.Fields{{Field: "reason", JA: "理由は1000文字以内にしてください", EN: "The reason must be at most 1000 characters"}}.Err()
	}
	var o Organization
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = s.writeStatus(ctx, tx, a, id, version, status, reason)
		return err
	})
	if err != nil {
		return Organization{}, err
	}
	s.notify(Change{Municipality: o.Municipality, ID: o.ID, Action: string(status)})
	return o, nil
}

func (s *Service) writeStatus(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, version int, status Status, reason string) (Organization, error) {
	cur, err := s.load(ctx, tx, a, id)
	if err != nil {
		return cur, err
	}
	if version >= 0 && cur.Version != version {
		return cur, conflict(cur)
	}
	if cur.Status == status {
		return cur, nil
	}
	now := store.Now()
	var at sql.NullTime
	if status == StatusArchived {
		at = sql.NullTime{Time: now, Valid: true}
	}
	if err := one(tx.ExecContext(ctx, s.q.SetStatus, status, at, reason, now, id, a.Municipality, cur.Version))(cur); err != nil {
		return cur, err
	}
	o := cur
	o.Status, o.ArchivedAt, o.ArchiveReason, o.Version, o.UpdatedAt = status, timePtr(at), reason, cur.Version+1, now
	action := "organization.restore"
	if status == StatusArchived {
		action = "organization.archive"
	}
	err = s.auth.Audit(ctx, tx, a, auth.AuditEntry{Municipality: a.Municipality, Action: action, Entity: "organization", EntityID: itoa(id),
		Before: map[string]any{"status": cur.Status}, After: map[string]any{"status": status, "reason": reason}})
	return o, err
}

// History lists an organization's changes, newest first (staff only).
func (s *Service) History(ctx context.Context, a auth.Actor, id int64) ([]auth.HistoryEntry, error) {
	if !a.Can(auth.PermRegistryRead) {
		return nil, errs.New(errs.Forbidden, "変更履歴を見る権限がありません", "You may not see the history")
	}
	if _, err := s.load(ctx, s.db.R, a, id); err != nil {
		return nil, err
	}
	return s.auth.History(ctx, a.Municipality, "organization", itoa(id), 500)
}

// one checks that a versioned UPDATE changed exactly one row; none means
// someone else's write got in between (PostgreSQL's READ COMMITTED lets that
// happen after our read).
func one(res sql.Result, err error) func(cur Organization) error {
	return func(cur Organization) error {
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return conflict(cur)
		}
		return nil
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
