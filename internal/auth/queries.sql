-- name: insert-user
INSERT INTO users (municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: user-by-id
SELECT id, municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, disabled_at, created_at
FROM users WHERE id = ?

-- name: user-by-email
SELECT id, municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, disabled_at, created_at
FROM users WHERE email = ?

-- name: list-users
SELECT id, municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, disabled_at, created_at
FROM users WHERE municipality_code = ? ORDER BY role, email

-- name: set-password
UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?

-- name: set-disabled
UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?

-- name: count-failures
SELECT
	(SELECT COUNT(*) FROM login_failures WHERE email = ? AND at > ?),
	(SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at > ?)

-- name: insert-failure
INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)

-- name: prune-failures
DELETE FROM login_failures WHERE at < ?

-- name: insert-session
INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)

-- name: session-user
SELECT u.id, u.municipality_code, u.email, u.name, u.role, u.organization_id, u.password_hash, u.must_change_password, u.lang, u.disabled_at, u.created_at
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = ? AND s.expires_at > ?

-- name: delete-session
DELETE FROM sessions WHERE token_hash = ?

-- name: delete-user-sessions
DELETE FROM sessions WHERE user_id = ?

-- name: prune-sessions
DELETE FROM sessions WHERE expires_at < ?

-- name: insert-token
INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: token-user
SELECT t.id, t.last_used_at, u.id, u.municipality_code, u.email, u.name, u.role, u.organization_id, u.password_hash, u.must_change_password, u.lang, u.disabled_at, u.created_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = ? AND t.revoked_at IS NULL

-- name: touch-token
UPDATE api_tokens SET last_used_at = ? WHERE id = ?

-- name: list-tokens
SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at, t.revoked_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE u.municipality_code = ? AND (? = 0 OR t.user_id = ?)
ORDER BY t.id DESC

-- name: token-by-id
SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at, t.revoked_at, u.municipality_code
FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?

-- name: revoke-token
UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL

-- name: insert-audit
INSERT INTO audit_log (at, municipality_code, actor_id, actor, action, entity, entity_id, before, after, ip)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: entity-history
SELECT id, at, actor, action, before, after FROM audit_log
WHERE entity = ? AND entity_id = ? AND municipality_code = ?
ORDER BY id DESC LIMIT ?

-- name: organization-municipality
SELECT municipality_code, kind FROM organizations WHERE id = ?

-- name: clear-password-change
UPDATE users SET must_change_password = false WHERE id = ?

-- name: recent-activity
SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, COALESCE(o.name, u.email, '')
FROM audit_log a
LEFT JOIN organizations o ON a.entity = 'organization' AND o.id = CAST(a.entity_id AS INTEGER)
LEFT JOIN users u ON a.entity = 'user' AND u.id = CAST(a.entity_id AS INTEGER)
WHERE a.municipality_code = ? ORDER BY a.id DESC LIMIT ?

-- name: recent-activity postgres
SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, COALESCE(o.name, u.email, '')
FROM audit_log a
LEFT JOIN organizations o ON a.entity = 'organization' AND o.id::text = a.entity_id
LEFT JOIN users u ON a.entity = 'user' AND u.id::text = a.entity_id
WHERE a.municipality_code = ? ORDER BY a.id DESC LIMIT ?
