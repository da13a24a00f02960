-- Queries of internal/visit. Placeholders are ?; store.LoadQueries rebinds
-- them for PostgreSQL. Times are passed in UTC (SQLite compares them as text).
-- The column lists of visits, issues, consultations and referrals are the
-- same as visitColumns … in the Go code, which builds the filtered lists.

-- name: org-brief
SELECT id, kind, status, name FROM organizations WHERE id = ? AND municipality_code = ?

-- name: user-brief
SELECT id, municipality_code, role, name, email, disabled_at FROM users WHERE id = ?

-- name: staff-users
SELECT id, role, name, email, organization_id FROM users
WHERE municipality_code = ? AND role IN ('admin','staff','coordinator','bank') AND disabled_at IS NULL
ORDER BY CASE role WHEN 'coordinator' THEN 0 WHEN 'staff' THEN 1 WHEN 'admin' THEN 2 ELSE 3 END, name, email

-- name: visit-by-id
SELECT v.id, v.municipality_code, v.organization_id, o.name, v.status, v.starts_at, v.minutes, v.purpose,
	v.capabilities, v.pillars, v.life_stage, v.notes, v.company_attendees, v.other_attendees, v.version, v.created_by,
	COALESCE(NULLIF(cu.name, ''), cu.email, ''), v.created_at, v.updated_at
FROM visits v JOIN organizations o ON o.id = v.organization_id LEFT JOIN users cu ON cu.id = v.created_by
WHERE v.id = ? AND v.municipality_code = ?

-- name: insert-visit
INSERT INTO visits (municipality_code, organization_id, status, starts_at, minutes, purpose, capabilities, pillars, life_stage,
	notes, company_attendees, other_attendees, version, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
RETURNING id

-- name: update-visit
UPDATE visits SET organization_id = ?, status = ?, starts_at = ?, minutes = ?, purpose = ?, capabilities = ?, pillars = ?,
	life_stage = ?, notes = ?, company_attendees = ?, other_attendees = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: delete-attendees
DELETE FROM visit_attendees WHERE visit_id = ?

-- name: insert-attendee
INSERT INTO visit_attendees (visit_id, user_id) VALUES (?, ?)

-- name: visit-attendees
SELECT a.visit_id, u.id, COALESCE(NULLIF(u.name, ''), u.email), u.role
FROM visit_attendees a JOIN users u ON u.id = a.user_id WHERE a.visit_id = ? ORDER BY u.id

-- name: issue-by-id
SELECT i.id, i.municipality_code, i.organization_id, o.name, i.visit_id, i.consultation_id, i.title, i.detail,
	i.capabilities, i.pillars, i.measures, i.status, i.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on,
	i.resolved_at, i.version, i.created_by, i.created_at, i.updated_at
FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.id = ? AND i.municipality_code = ?

-- name: insert-issue
INSERT INTO company_issues (municipality_code, organization_id, visit_id, consultation_id, title, detail, capabilities, pillars,
	measures, status, owner_id, due_on, resolved_at, version, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
RETURNING id

-- name: update-issue
UPDATE company_issues SET title = ?, detail = ?, capabilities = ?, pillars = ?, measures = ?, status = ?, owner_id = ?,
	due_on = ?, resolved_at = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: issues-of-visit
SELECT i.id, i.municipality_code, i.organization_id, o.name, i.visit_id, i.consultation_id, i.title, i.detail,
	i.capabilities, i.pillars, i.measures, i.status, i.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on,
	i.resolved_at, i.version, i.created_by, i.created_at, i.updated_at
FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.visit_id = ? AND i.municipality_code = ? ORDER BY i.id

-- name: issues-of-consultation
SELECT i.id, i.municipality_code, i.organization_id, o.name, i.visit_id, i.consultation_id, i.title, i.detail,
	i.capabilities, i.pillars, i.measures, i.status, i.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on,
	i.resolved_at, i.version, i.created_by, i.created_at, i.updated_at
FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.consultation_id = ? AND i.municipality_code = ? ORDER BY i.id

-- name: set-issue-in-progress
UPDATE company_issues SET status = 'in_progress', version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND status = 'open'

-- name: consultation-by-id
SELECT c.id, c.municipality_code, c.organization_id, o.name, c.channel, c.category, c.subject, c.request, c.notes,
	c.status, c.owner_id, COALESCE(NULLIF(ou.name, ''), ou.email, ''), c.received_at, c.follow_up_on, c.version, c.created_by,
	c.created_at, c.updated_at
FROM consultations c JOIN organizations o ON o.id = c.organization_id LEFT JOIN users ou ON ou.id = c.owner_id
WHERE c.id = ? AND c.municipality_code = ?

-- name: insert-consultation
INSERT INTO consultations (municipality_code, organization_id, channel, category, subject, request, notes, status, owner_id,
	received_at, follow_up_on, capabilities, pillars, version, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
RETURNING id

-- name: update-consultation
UPDATE consultations SET organization_id = ?, channel = ?, category = ?, subject = ?, request = ?, notes = ?, status = ?,
	owner_id = ?, received_at = ?, follow_up_on = ?, capabilities = ?, pillars = ?, version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: set-consultation-referred
UPDATE consultations SET status = 'referred', version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND status IN ('new','in_progress')

-- name: referral-by-id
SELECT r.id, r.municipality_code, r.organization_id, o.name, r.agency_id, ag.name, r.consultation_id,
	COALESCE(c.subject, i.title, ''), r.issue_id, r.measure, r.referred_on, r.outcome, r.follow_up_on, r.owner_id,
	COALESCE(NULLIF(ou.name, ''), ou.email, ''), r.notes, r.version, r.created_by, r.created_at, r.updated_at
FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN consultations c ON c.id = r.consultation_id LEFT JOIN company_issues i ON i.id = r.issue_id LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.id = ? AND r.municipality_code = ?

-- name: insert-referral
INSERT INTO referrals (municipality_code, organization_id, agency_id, consultation_id, issue_id, measure, referred_on, outcome,
	follow_up_on, owner_id, notes, capabilities, pillars, version, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
RETURNING id

-- name: update-referral
UPDATE referrals SET agency_id = ?, measure = ?, referred_on = ?, outcome = ?, follow_up_on = ?, owner_id = ?, notes = ?,
	version = version + 1, updated_at = ?
WHERE id = ? AND municipality_code = ? AND version = ?

-- name: referrals-of-consultation
SELECT r.id, r.municipality_code, r.organization_id, o.name, r.agency_id, ag.name, r.consultation_id,
	COALESCE(c.subject, i.title, ''), r.issue_id, r.measure, r.referred_on, r.outcome, r.follow_up_on, r.owner_id,
	COALESCE(NULLIF(ou.name, ''), ou.email, ''), r.notes, r.version, r.created_by, r.created_at, r.updated_at
FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN consultations c ON c.id = r.consultation_id LEFT JOIN company_issues i ON i.id = r.issue_id LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.consultation_id = ? AND r.municipality_code = ? ORDER BY r.referred_on, r.id

-- name: referrals-of-issue
SELECT r.id, r.municipality_code, r.organization_id, o.name, r.agency_id, ag.name, r.consultation_id,
	COALESCE(c.subject, i.title, ''), r.issue_id, r.measure, r.referred_on, r.outcome, r.follow_up_on, r.owner_id,
	COALESCE(NULLIF(ou.name, ''), ou.email, ''), r.notes, r.version, r.created_by, r.created_at, r.updated_at
FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN consultations c ON c.id = r.consultation_id LEFT JOIN company_issues i ON i.id = r.issue_id LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.issue_id = ? AND r.municipality_code = ? ORDER BY r.referred_on, r.id

-- name: referral-counts-by-agency
SELECT agency_id, COUNT(*),
	COALESCE(SUM(CASE WHEN outcome IN ('accepted','in_progress') THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'completed' THEN 1 ELSE 0 END), 0)
FROM referrals WHERE municipality_code = ? GROUP BY agency_id

-- name: timeline-visits
SELECT v.id, v.starts_at, v.purpose, v.status, v.notes, v.life_stage, v.capabilities, v.pillars
FROM visits v WHERE v.organization_id = ? AND v.municipality_code = ? AND v.starts_at < ?
ORDER BY v.starts_at DESC, v.id DESC LIMIT ?

-- name: timeline-issues
SELECT i.id, i.created_at, i.title, i.status, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on
FROM company_issues i LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.organization_id = ? AND i.municipality_code = ? AND i.created_at < ?
ORDER BY i.created_at DESC, i.id DESC LIMIT ?

-- name: timeline-consultations
SELECT c.id, c.received_at, c.subject, c.status, c.category, c.channel, c.request, COALESCE(NULLIF(ou.name, ''), ou.email, '')
FROM consultations c LEFT JOIN users ou ON ou.id = c.owner_id
WHERE c.organization_id = ? AND c.municipality_code = ? AND c.received_at < ?
ORDER BY c.received_at DESC, c.id DESC LIMIT ?

-- name: timeline-referrals
SELECT r.id, r.referred_on, ag.name, r.outcome, COALESCE(c.subject, i.title, ''), COALESCE(NULLIF(ou.name, ''), ou.email, '')
FROM referrals r JOIN organizations ag ON ag.id = r.agency_id LEFT JOIN consultations c ON c.id = r.consultation_id
	LEFT JOIN company_issues i ON i.id = r.issue_id LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.organization_id = ? AND r.municipality_code = ? AND r.referred_on < ?
ORDER BY r.referred_on DESC, r.id DESC LIMIT ?

-- name: company-summary
SELECT
	(SELECT COUNT(*) FROM visits v WHERE v.organization_id = o.id AND v.status = 'done'),
	(SELECT MAX(v.starts_at) FROM visits v WHERE v.organization_id = o.id AND v.status = 'done'),
	(SELECT MIN(v.starts_at) FROM visits v WHERE v.organization_id = o.id AND v.status = 'planned' AND v.starts_at >= ?),
	(SELECT COUNT(*) FROM company_issues i WHERE i.organization_id = o.id AND i.status IN ('open','in_progress')),
	(SELECT COUNT(*) FROM referrals r WHERE r.organization_id = o.id AND r.outcome IN ('accepted','in_progress')),
	(SELECT COUNT(*) FROM consultations c WHERE c.organization_id = o.id),
	COALESCE((SELECT v.life_stage FROM visits v WHERE v.organization_id = o.id AND v.status = 'done' AND v.life_stage <> ''
		ORDER BY v.starts_at DESC LIMIT 1), '')
FROM organizations o WHERE o.id = ? AND o.municipality_code = ?

-- name: planning-candidates
SELECT o.id, o.name, o.name_kana, o.city,
	(SELECT MAX(v.starts_at) FROM visits v WHERE v.organization_id = o.id AND v.status = 'done'),
	(SELECT MAX(c.received_at) FROM consultations c WHERE c.organization_id = o.id),
	COALESCE((SELECT v.life_stage FROM visits v WHERE v.organization_id = o.id AND v.status = 'done' AND v.life_stage <> ''
		ORDER BY v.starts_at DESC LIMIT 1), ''),
	(SELECT COUNT(*) FROM company_issues i WHERE i.organization_id = o.id AND i.status IN ('open','in_progress')),
	(SELECT MIN(v.starts_at) FROM visits v WHERE v.organization_id = o.id AND v.status = 'planned' AND v.starts_at >= ?)
FROM organizations o
WHERE o.municipality_code = ? AND o.kind = 'company' AND o.status = 'active'

-- name: agenda-visits
SELECT v.id, v.municipality_code, v.organization_id, o.name, v.status, v.starts_at, v.minutes, v.purpose,
	v.capabilities, v.pillars, v.life_stage, v.notes, v.company_attendees, v.other_attendees, v.version, v.created_by,
	COALESCE(NULLIF(cu.name, ''), cu.email, ''), v.created_at, v.updated_at
FROM visits v JOIN organizations o ON o.id = v.organization_id LEFT JOIN users cu ON cu.id = v.created_by
WHERE v.municipality_code = ? AND v.status = 'planned' AND v.starts_at >= ? AND v.starts_at < ?
	AND (? = 0 OR v.id IN (SELECT visit_id FROM visit_attendees WHERE user_id = ?))
ORDER BY v.starts_at, v.id

-- name: agenda-issues
SELECT i.id, i.organization_id, o.name, i.title, i.due_on, i.status, COALESCE(i.owner_id, 0), COALESCE(NULLIF(ou.name, ''), ou.email, '')
FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.municipality_code = ? AND i.status IN ('open','in_progress') AND i.due_on <> '' AND i.due_on < ?
	AND (? = 0 OR i.owner_id = ?)
ORDER BY i.due_on, i.id

-- name: agenda-referrals
SELECT r.id, r.organization_id, o.name, ag.name, r.follow_up_on, r.outcome, COALESCE(r.owner_id, 0), COALESCE(NULLIF(ou.name, ''), ou.email, '')
FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.municipality_code = ? AND r.outcome IN ('accepted','in_progress') AND r.follow_up_on <> '' AND r.follow_up_on < ?
	AND (? = 0 OR r.owner_id = ?)
ORDER BY r.follow_up_on, r.id

-- name: agenda-consultations
SELECT c.id, c.organization_id, o.name, c.subject, c.follow_up_on, c.status, COALESCE(c.owner_id, 0), COALESCE(NULLIF(ou.name, ''), ou.email, '')
FROM consultations c JOIN organizations o ON o.id = c.organization_id LEFT JOIN users ou ON ou.id = c.owner_id
WHERE c.municipality_code = ? AND c.status <> 'closed' AND c.follow_up_on <> '' AND c.follow_up_on < ?
	AND (? = 0 OR c.owner_id = ?)
ORDER BY c.follow_up_on, c.id

-- name: insert-feed
INSERT INTO calendar_feeds (municipality_code, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id

-- name: feeds-of-user
SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM calendar_feeds
WHERE user_id = ? AND municipality_code = ? ORDER BY id DESC

-- name: revoke-feed
UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND user_id = ? AND municipality_code = ? AND revoked_at IS NULL

-- name: feed-by-token
SELECT f.id, u.id, u.municipality_code, u.role, u.name, u.email, u.lang, f.last_used_at
FROM calendar_feeds f JOIN users u ON u.id = f.user_id
WHERE f.token_hash = ? AND f.revoked_at IS NULL AND u.disabled_at IS NULL AND u.municipality_code = f.municipality_code

-- name: touch-feed
UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?

-- name: feed-visits
SELECT v.id, v.status, v.starts_at, v.minutes, v.purpose, v.version, v.updated_at, o.name, o.profile
FROM visits v JOIN organizations o ON o.id = v.organization_id
WHERE v.municipality_code = ? AND v.starts_at >= ? AND v.starts_at < ?
	AND v.id IN (SELECT visit_id FROM visit_attendees WHERE user_id = ?)
ORDER BY v.starts_at, v.id

-- name: municipalities
SELECT code FROM municipalities ORDER BY code

-- name: schedule-digest
INSERT INTO visit_digest_runs (municipality_code, day, status, created_at) VALUES (?, ?, 'scheduled', ?)
ON CONFLICT (municipality_code, day) DO NOTHING

-- name: claim-digest
UPDATE visit_digest_runs SET status = 'queued', queued_at = ?, job_id = ?
WHERE municipality_code = ? AND day = ? AND status = 'scheduled'

-- name: finish-digest
UPDATE visit_digest_runs SET mails = ? WHERE municipality_code = ? AND day = ?

-- name: digest-users
SELECT id, role, name, email, lang FROM users
WHERE municipality_code = ? AND role IN ('admin','staff','coordinator','bank') AND disabled_at IS NULL ORDER BY id

-- name: has-visits
SELECT COUNT(*) FROM (SELECT 1 FROM visits WHERE municipality_code = ? LIMIT 1) x

-- Counts: the total, then one sum per pillar bit (1–5) and per capability
-- bit (基盤力 … 人材力): a record tagged twice counts under both.

-- name: count-visits
SELECT COUNT(*),
	COALESCE(SUM(CASE WHEN (pillars & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 16) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 16) <> 0 THEN 1 ELSE 0 END), 0)
FROM visits WHERE municipality_code = ? AND status = 'done' AND starts_at >= ? AND starts_at < ?

-- name: count-issues
SELECT COUNT(*),
	COALESCE(SUM(CASE WHEN (pillars & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 16) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 16) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0)
FROM company_issues WHERE municipality_code = ? AND created_at >= ? AND created_at < ?

-- name: count-consultations
SELECT COUNT(*),
	COALESCE(SUM(CASE WHEN (pillars & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 16) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 16) <> 0 THEN 1 ELSE 0 END), 0)
FROM consultations WHERE municipality_code = ? AND received_at >= ? AND received_at < ?

-- name: count-referrals
SELECT COUNT(*),
	COALESCE(SUM(CASE WHEN (pillars & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (pillars & 16) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 1) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 2) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 4) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 8) <> 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN (capabilities & 16) <> 0 THEN 1 ELSE 0 END), 0)
FROM referrals WHERE municipality_code = ? AND referred_on >= ? AND referred_on < ?

-- name: visited-companies
SELECT COUNT(DISTINCT organization_id) FROM visits
WHERE municipality_code = ? AND status = 'done' AND starts_at >= ? AND starts_at < ?

-- name: issue-measures
SELECT measures, status FROM company_issues
WHERE municipality_code = ? AND created_at >= ? AND created_at < ? AND measures <> '[]'

-- name: issue-measures postgres
SELECT measures::text, status FROM company_issues
WHERE municipality_code = ? AND created_at >= ? AND created_at < ? AND measures <> '[]'::jsonb

-- name: referral-measures
SELECT measure, COUNT(*) FROM referrals
WHERE municipality_code = ? AND referred_on >= ? AND referred_on < ? AND measure <> '' GROUP BY measure

-- name: consultation-categories
SELECT category, COUNT(*) FROM consultations
WHERE municipality_code = ? AND received_at >= ? AND received_at < ? GROUP BY category

-- name: referral-outcomes
SELECT outcome, COUNT(*) FROM referrals
WHERE municipality_code = ? AND referred_on >= ? AND referred_on < ? GROUP BY outcome

-- Exports for the council: no notes, details or requests.

-- name: export-visits
SELECT v.id, v.starts_at, v.minutes, o.name, COALESCE(o.corporate_number, ''), v.purpose, v.capabilities, v.pillars, v.life_stage,
	v.company_attendees, (SELECT COUNT(*) FROM company_issues i WHERE i.visit_id = v.id)
FROM visits v JOIN organizations o ON o.id = v.organization_id
WHERE v.municipality_code = ? AND v.status = 'done' AND v.starts_at >= ? AND v.starts_at < ?
ORDER BY v.starts_at, v.id

-- name: export-attendees
SELECT a.visit_id, COALESCE(NULLIF(u.name, ''), u.email)
FROM visit_attendees a JOIN users u ON u.id = a.user_id JOIN visits v ON v.id = a.visit_id
WHERE v.municipality_code = ? AND v.status = 'done' AND v.starts_at >= ? AND v.starts_at < ?
ORDER BY a.visit_id, u.id

-- name: export-issues
SELECT i.id, i.created_at, o.name, i.title, i.status, COALESCE(NULLIF(ou.name, ''), ou.email, ''), i.due_on, i.resolved_at, i.capabilities, i.pillars, i.measures,
	(SELECT COUNT(*) FROM referrals r WHERE r.issue_id = i.id)
FROM company_issues i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users ou ON ou.id = i.owner_id
WHERE i.municipality_code = ? AND i.created_at >= ? AND i.created_at < ?
ORDER BY i.created_at, i.id

-- name: export-consultations
SELECT c.id, c.received_at, o.name, c.channel, c.category, c.subject, c.status, COALESCE(NULLIF(ou.name, ''), ou.email, ''), c.follow_up_on,
	(SELECT COUNT(*) FROM referrals r WHERE r.consultation_id = c.id)
FROM consultations c JOIN organizations o ON o.id = c.organization_id LEFT JOIN users ou ON ou.id = c.owner_id
WHERE c.municipality_code = ? AND c.received_at >= ? AND c.received_at < ?
ORDER BY c.received_at, c.id

-- name: export-referrals
SELECT r.id, r.referred_on, o.name, ag.name, ag.kind, COALESCE(c.subject, i.title, ''), r.measure, r.outcome, r.follow_up_on,
	COALESCE(NULLIF(ou.name, ''), ou.email, ''), r.capabilities, r.pillars
FROM referrals r JOIN organizations o ON o.id = r.organization_id JOIN organizations ag ON ag.id = r.agency_id
	LEFT JOIN consultations c ON c.id = r.consultation_id LEFT JOIN company_issues i ON i.id = r.issue_id
	LEFT JOIN users ou ON ou.id = r.owner_id
WHERE r.municipality_code = ? AND r.referred_on >= ? AND r.referred_on < ?
ORDER BY r.referred_on, r.id
