-- name: org-by-id
SELECT id, municipality_code, external_id, kind, status, published, profile, version,
	draft, draft_status, draft_by, draft_at, draft_note, published_at, archived_at, archive_reason,
	closed_on, close_cause, successor_corporate_number, created_at, updated_at, featured
FROM organizations WHERE id = ? AND municipality_code = ?

-- name: org-by-external-id
SELECT id, municipality_code, external_id, kind, status, published, profile, version,
	draft, draft_status, draft_by, draft_at, draft_note, published_at, archived_at, archive_reason,
	closed_on, close_cause, successor_corporate_number, created_at, updated_at, featured
FROM organizations WHERE external_id = ? AND municipality_code = ?

-- name: org-by-corporate-number
SELECT id, municipality_code, external_id, kind, status, published, profile, version,
	draft, draft_status, draft_by, draft_at, draft_note, published_at, archived_at, archive_reason,
	closed_on, close_cause, successor_corporate_number, created_at, updated_at, featured
FROM organizations WHERE corporate_number = ? AND municipality_code = ?

-- name: insert-org
INSERT INTO organizations (municipality_code, external_id, kind, status, published, corporate_number,
	name, name_kana, name_en, sort_key, search_key, jsic_code, city, profile, version, published_at, created_at, updated_at)
VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
RETURNING id

-- name: update-profile
UPDATE organizations SET corporate_number = ?, name = ?, name_kana = ?, name_en = ?, sort_key = ?, search_key = ?,
	jsic_code = ?, city = ?, profile = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: update-draft
UPDATE organizations SET draft = ?, draft_status = ?, draft_by = ?, draft_at = ?, draft_note = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: set-published
UPDATE organizations SET published = ?, published_at = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: set-status
UPDATE organizations SET status = ?, archived_at = ?, archive_reason = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: delete-terms
DELETE FROM organization_terms WHERE organization_id = ?

-- name: insert-term
INSERT INTO organization_terms (organization_id, facet, term) VALUES (?, ?, ?)

-- name: list-terms
SELECT facet, term, term_en, position FROM taxonomy_terms WHERE municipality_code = ? ORDER BY facet, position, term

-- name: seed-term
INSERT INTO taxonomy_terms (municipality_code, facet, term, term_en, position) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (municipality_code, facet, term) DO NOTHING

-- name: upsert-term
INSERT INTO taxonomy_terms (municipality_code, facet, term, term_en, position) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (municipality_code, facet, term) DO UPDATE SET term_en = excluded.term_en, position = excluded.position

-- name: delete-term
DELETE FROM taxonomy_terms WHERE municipality_code = ? AND facet = ? AND term = ?

-- name: count-term-use
SELECT COUNT(*) FROM organization_terms t JOIN organizations o ON o.id = t.organization_id
WHERE o.municipality_code = ? AND t.facet = ? AND t.term = ?

-- name: set-nta-state
UPDATE organizations SET closed_on = ?, close_cause = ?, successor_corporate_number = ?, nta_synced_at = ?
WHERE id = ?

-- name: orgs-with-corporate-number
SELECT id, municipality_code, corporate_number, version FROM organizations
WHERE corporate_number IS NOT NULL AND (? = '' OR municipality_code = ?) ORDER BY id

-- name: set-featured
UPDATE organizations SET featured = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?
