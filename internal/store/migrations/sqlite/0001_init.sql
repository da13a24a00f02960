-- mieruka schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql.
-- Times are UTC TIMESTAMP text; JSON documents are TEXT.

CREATE TABLE municipalities (
	code        TEXT PRIMARY KEY,            -- 全国地方公共団体コード, 6 digits with check digit
	name        TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	prefecture  TEXT NOT NULL DEFAULT '',
	settings    TEXT NOT NULL DEFAULT '{}',  -- JSON: per-municipality settings
	created_at  TIMESTAMP NOT NULL
);

CREATE TABLE organizations (
	id                  INTEGER PRIMARY KEY,
	municipality_code   TEXT NOT NULL REFERENCES municipalities(code),
	external_id         TEXT,                 -- id in the source it was imported from (demo: C0001)
	kind                TEXT NOT NULL CHECK (kind IN ('company','lab','university','bank','agency')),
	status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
	published           BOOLEAN NOT NULL DEFAULT 0,
	corporate_number    TEXT,
	name                TEXT NOT NULL,
	name_kana           TEXT NOT NULL DEFAULT '',
	name_en             TEXT NOT NULL DEFAULT '',
	sort_key            TEXT NOT NULL DEFAULT '', -- 五十音 order of the reading
	search_key          TEXT NOT NULL DEFAULT '', -- folded name, reading, English name, 法人番号
	jsic_code           TEXT NOT NULL DEFAULT '',
	city                TEXT NOT NULL DEFAULT '', -- where it is located
	profile             TEXT NOT NULL,            -- JSON org.Profile: the approved version
	draft               TEXT,                     -- JSON org.Profile proposed by a member
	draft_status        TEXT CHECK (draft_status IN ('editing','submitted','rejected')),
	draft_by            INTEGER REFERENCES users(id),
	draft_at            TIMESTAMP,
	draft_note          TEXT NOT NULL DEFAULT '', -- staff's reason when a draft is sent back
	version             INTEGER NOT NULL DEFAULT 1,
	published_at        TIMESTAMP,
	archived_at         TIMESTAMP,
	archive_reason      TEXT NOT NULL DEFAULT '',
	closed_on           TEXT NOT NULL DEFAULT '', -- from the NTA file: 閉鎖等年月日
	close_cause         TEXT NOT NULL DEFAULT '',
	successor_corporate_number TEXT NOT NULL DEFAULT '',
	nta_synced_at       TIMESTAMP,
	created_at          TIMESTAMP NOT NULL,
	updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organizations_corporate_number ON organizations (municipality_code, corporate_number) WHERE corporate_number IS NOT NULL;
CREATE UNIQUE INDEX organizations_external_id ON organizations (municipality_code, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX organizations_listing ON organizations (municipality_code, status, sort_key);
CREATE INDEX organizations_drafts ON organizations (municipality_code, draft_status) WHERE draft_status IS NOT NULL;

-- Capability terms of the approved profile, for filters and counts in SQL.
CREATE TABLE organization_terms (
	organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
	facet           TEXT NOT NULL,
	term            TEXT NOT NULL,
	PRIMARY KEY (organization_id, facet, term)
);
CREATE INDEX organization_terms_term ON organization_terms (facet, term);

CREATE TABLE users (
	id                    INTEGER PRIMARY KEY,
	municipality_code     TEXT NOT NULL REFERENCES municipalities(code),
	email                 TEXT NOT NULL UNIQUE,  -- lower-case
	name                  TEXT NOT NULL DEFAULT '',
	role                  TEXT NOT NULL CHECK (role IN ('admin','staff','coordinator','member')),
	organization_id       INTEGER REFERENCES organizations(id),
	password_hash         TEXT NOT NULL,
	must_change_password  BOOLEAN NOT NULL DEFAULT 0,
	lang                  TEXT NOT NULL DEFAULT 'ja',
	disabled_at           TIMESTAMP,
	created_at            TIMESTAMP NOT NULL,
	updated_at            TIMESTAMP NOT NULL,
	CHECK ((role = 'member') = (organization_id IS NOT NULL))
);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,  -- SHA-256 of the cookie value
	user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at    TIMESTAMP NOT NULL,
	expires_at    TIMESTAMP NOT NULL,
	ip            TEXT NOT NULL DEFAULT '',
	user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name          TEXT NOT NULL DEFAULT '',
	token_hash    TEXT NOT NULL UNIQUE,  -- SHA-256 of the token
	created_at    TIMESTAMP NOT NULL,
	last_used_at  TIMESTAMP,
	revoked_at    TIMESTAMP
);

CREATE TABLE login_failures (
	id     INTEGER PRIMARY KEY,
	email  TEXT NOT NULL,
	ip     TEXT NOT NULL,
	at     TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- Every write, append-only: the triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
	id                 INTEGER PRIMARY KEY,
	at                 TIMESTAMP NOT NULL,
	municipality_code  TEXT,             -- NULL for national reference data
	actor_id           INTEGER,          -- users.id; NULL for the system
	actor              TEXT NOT NULL,    -- e-mail or system:<what>, kept even if the user goes
	action             TEXT NOT NULL,    -- organization.update, user.create, …
	entity             TEXT NOT NULL,
	entity_id          TEXT NOT NULL,
	before             TEXT,             -- JSON
	after              TEXT,             -- JSON
	ip                 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_municipality ON audit_log (municipality_code, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Controlled vocabularies (processes, materials, certifications …) per municipality.
CREATE TABLE taxonomy_terms (
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	facet              TEXT NOT NULL,
	term               TEXT NOT NULL,
	term_en            TEXT NOT NULL DEFAULT '',
	position           INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (municipality_code, facet, term)
);

-- 国税庁 法人番号 bulk data: national reference, one row per corporation (its
-- latest row in the files imported). The 30 fields of the row are kept as
-- written, joined by U+001F, beside the key that name lookups need: the
-- fewer columns, the faster a million rows go in.
CREATE TABLE corporations (
	corporate_number  INTEGER PRIMARY KEY,
	name_key          TEXT NOT NULL,  -- folded name without the legal form
	fields            TEXT NOT NULL   -- the row's 30 fields, U+001F-separated
);
CREATE INDEX corporations_name_key ON corporations (name_key);

-- Imports of files (NTA, registry) with their outcome, for the staff UI and CLI.
CREATE TABLE imports (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT REFERENCES municipalities(code),
	kind               TEXT NOT NULL,
	file_name          TEXT NOT NULL,
	status             TEXT NOT NULL CHECK (status IN ('running','done','failed')),
	rows_total         INTEGER NOT NULL DEFAULT 0,
	rows_ok            INTEGER NOT NULL DEFAULT 0,
	rows_bad           INTEGER NOT NULL DEFAULT 0,
	errors             TEXT NOT NULL DEFAULT '[]',  -- JSON [{line, field, ja, en}]
	actor              TEXT NOT NULL,
	started_at         TIMESTAMP NOT NULL,
	finished_at        TIMESTAMP
);

-- Background jobs, run by in-process workers of any instance.
CREATE TABLE jobs (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT,
	kind               TEXT NOT NULL,
	payload            TEXT NOT NULL DEFAULT '{}',
	status             TEXT NOT NULL CHECK (status IN ('queued','running','done','failed')),
	attempts           INTEGER NOT NULL DEFAULT 0,
	max_attempts       INTEGER NOT NULL DEFAULT 5,
	run_at             TIMESTAMP NOT NULL,
	locked_by          TEXT NOT NULL DEFAULT '',
	locked_until       TIMESTAMP,
	progress           INTEGER NOT NULL DEFAULT 0,
	progress_total     INTEGER NOT NULL DEFAULT 0,
	result             TEXT NOT NULL DEFAULT '',
	last_error         TEXT NOT NULL DEFAULT '',
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL,
	finished_at        TIMESTAMP
);
CREATE INDEX jobs_due ON jobs (status, run_at);
