-- Company visits and consultations (御用聞き and 相談体制): visits with their
-- attendees, the companies' issues (CompanyIssue), consultations, referrals to
-- support agencies, personal calendar feeds, the daily digest's runs — and
-- the bank role (金融機関の担当者). Keep in step with ../postgres/0003_visits.sql.
--
-- Capabilities and pillars are bit sets (bit 0 = 基盤力 / 柱1 …), so that a
-- row is tagged in one column and counted with one expression per tag.
-- Dates without a time (due dates, follow-ups) are 'YYYY-MM-DD' text in Japan
-- time; times are UTC TIMESTAMP.

-- users: the role 'bank' is, like 'member', tied to an organization (its
-- bank). SQLite cannot change a CHECK constraint, so the table is rebuilt,
-- with the rows that hang on it: dropping users deletes (ON DELETE CASCADE)
-- the sessions and API tokens, which are kept aside and put back, and leaves
-- organizations.draft_by pointing nowhere until the users are back — which
-- defer_foreign_keys allows until the commit, where it is checked again.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE keep_users AS SELECT * FROM users;
CREATE TEMP TABLE keep_sessions AS SELECT * FROM sessions;
CREATE TEMP TABLE keep_api_tokens AS SELECT * FROM api_tokens;
DROP TABLE users;
CREATE TABLE users (
	id                    INTEGER PRIMARY KEY,
	municipality_code     TEXT NOT NULL REFERENCES municipalities(code),
	email                 TEXT NOT NULL UNIQUE,  -- lower-case
	name                  TEXT NOT NULL DEFAULT '',
	role                  TEXT NOT NULL CHECK (role IN ('admin','staff','coordinator','member','bank')),
	organization_id       INTEGER REFERENCES organizations(id),
	password_hash         TEXT NOT NULL,
	must_change_password  BOOLEAN NOT NULL DEFAULT 0,
	lang                  TEXT NOT NULL DEFAULT 'ja',
	disabled_at           TIMESTAMP,
	created_at            TIMESTAMP NOT NULL,
	updated_at            TIMESTAMP NOT NULL,
	CHECK ((role IN ('member','bank')) = (organization_id IS NOT NULL))
);
CREATE INDEX users_organization ON users (organization_id);
INSERT INTO users (id, municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, disabled_at, created_at, updated_at)
	SELECT id, municipality_code, email, name, role, organization_id, password_hash, must_change_password, lang, disabled_at, created_at, updated_at FROM keep_users;
INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent)
	SELECT token_hash, user_id, created_at, expires_at, ip, user_agent FROM keep_sessions;
INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, revoked_at)
	SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at FROM keep_api_tokens;
DROP TABLE keep_users;
DROP TABLE keep_sessions;
DROP TABLE keep_api_tokens;

CREATE TABLE visits (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER NOT NULL REFERENCES organizations(id),
	status             TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
	starts_at          TIMESTAMP NOT NULL,
	minutes            INTEGER NOT NULL DEFAULT 60,
	purpose            TEXT NOT NULL,
	capabilities       INTEGER NOT NULL DEFAULT 0,  -- bit set: 基盤力 連携力 経営力 技術力 人材力
	pillars            INTEGER NOT NULL DEFAULT 0,  -- bit set: 柱1 … 柱5 of the 2023 plan
	life_stage         TEXT NOT NULL DEFAULT '' CHECK (life_stage IN ('','startup','growth','mature','transition','succession')),
	notes              TEXT NOT NULL DEFAULT '',    -- confidential: staff and coordinators of the municipality
	company_attendees  TEXT NOT NULL DEFAULT '[]',  -- JSON list of the company's people present
	other_attendees    TEXT NOT NULL DEFAULT '[]',  -- JSON list of others present without an account
	version            INTEGER NOT NULL DEFAULT 1,
	created_by         INTEGER REFERENCES users(id),
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX visits_organization ON visits (organization_id, starts_at);
CREATE INDEX visits_municipality ON visits (municipality_code, starts_at);
-- The last visit done per company, for the planning list and timelines.
CREATE INDEX visits_done ON visits (organization_id, starts_at) WHERE status = 'done';

-- Who attended (or will attend) a visit: coordinators, staff, bank staff.
CREATE TABLE visit_attendees (
	visit_id  INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
	user_id   INTEGER NOT NULL REFERENCES users(id),
	PRIMARY KEY (visit_id, user_id)
);
CREATE INDEX visit_attendees_user ON visit_attendees (user_id, visit_id);

CREATE TABLE consultations (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER NOT NULL REFERENCES organizations(id),
	channel            TEXT NOT NULL CHECK (channel IN ('account','phone','walk_in','email','visit')),
	category           TEXT NOT NULL CHECK (category IN ('succession','startup','finance','sales','dx','cn','bcp','people','other')),
	subject            TEXT NOT NULL,
	request            TEXT NOT NULL DEFAULT '',   -- what the company asked: the company sees it
	notes              TEXT NOT NULL DEFAULT '',   -- confidential
	status             TEXT NOT NULL CHECK (status IN ('new','in_progress','referred','closed')),
	owner_id           INTEGER REFERENCES users(id),
	received_at        TIMESTAMP NOT NULL,
	follow_up_on       TEXT NOT NULL DEFAULT '',
	capabilities       INTEGER NOT NULL DEFAULT 0,
	pillars            INTEGER NOT NULL DEFAULT 0,
	version            INTEGER NOT NULL DEFAULT 1,
	created_by         INTEGER REFERENCES users(id),
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX consultations_organization ON consultations (organization_id, received_at);
CREATE INDEX consultations_municipality ON consultations (municipality_code, received_at);
CREATE INDEX consultations_follow_up ON consultations (municipality_code, follow_up_on) WHERE status <> 'closed';

CREATE TABLE company_issues (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER NOT NULL REFERENCES organizations(id),
	visit_id           INTEGER REFERENCES visits(id),
	consultation_id    INTEGER REFERENCES consultations(id),
	title              TEXT NOT NULL,
	detail             TEXT NOT NULL DEFAULT '',   -- confidential
	capabilities       INTEGER NOT NULL DEFAULT 0,
	pillars            INTEGER NOT NULL DEFAULT 0,
	measures           TEXT NOT NULL DEFAULT '[]', -- JSON list of measure codes that answer it
	status             TEXT NOT NULL CHECK (status IN ('open','in_progress','resolved','dropped')),
	owner_id           INTEGER REFERENCES users(id),
	due_on             TEXT NOT NULL DEFAULT '',
	resolved_at        TIMESTAMP,
	version            INTEGER NOT NULL DEFAULT 1,
	created_by         INTEGER REFERENCES users(id),
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX company_issues_organization ON company_issues (organization_id, created_at);
CREATE INDEX company_issues_municipality ON company_issues (municipality_code, created_at);
CREATE INDEX company_issues_visit ON company_issues (visit_id) WHERE visit_id IS NOT NULL;
-- Open issues: per company (planning list) and by due date (follow-ups, digest).
CREATE INDEX company_issues_open ON company_issues (organization_id) WHERE status IN ('open','in_progress');
CREATE INDEX company_issues_due ON company_issues (municipality_code, due_on) WHERE status IN ('open','in_progress');

-- A company referred to a support agency or bank (an organization of kind
-- agency or bank), answering a consultation or a CompanyIssue.
CREATE TABLE referrals (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER NOT NULL REFERENCES organizations(id),
	agency_id          INTEGER NOT NULL REFERENCES organizations(id),
	consultation_id    INTEGER REFERENCES consultations(id),
	issue_id           INTEGER REFERENCES company_issues(id),
	measure            TEXT NOT NULL DEFAULT '',
	referred_on        TEXT NOT NULL,
	outcome            TEXT NOT NULL CHECK (outcome IN ('accepted','in_progress','completed','failed')),
	follow_up_on       TEXT NOT NULL DEFAULT '',
	owner_id           INTEGER REFERENCES users(id),
	notes              TEXT NOT NULL DEFAULT '',   -- confidential
	capabilities       INTEGER NOT NULL DEFAULT 0,
	pillars            INTEGER NOT NULL DEFAULT 0,
	version            INTEGER NOT NULL DEFAULT 1,
	created_by         INTEGER REFERENCES users(id),
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX referrals_organization ON referrals (organization_id, referred_on);
CREATE INDEX referrals_municipality ON referrals (municipality_code, referred_on);
CREATE INDEX referrals_agency ON referrals (agency_id);
CREATE INDEX referrals_consultation ON referrals (consultation_id) WHERE consultation_id IS NOT NULL;
CREATE INDEX referrals_issue ON referrals (issue_id) WHERE issue_id IS NOT NULL;
CREATE INDEX referrals_follow_up ON referrals (municipality_code, follow_up_on) WHERE outcome IN ('accepted','in_progress');
CREATE INDEX referrals_open ON referrals (organization_id) WHERE outcome IN ('accepted','in_progress');

-- Personal iCalendar feeds: the URL carries a secret whose hash is kept here.
CREATE TABLE calendar_feeds (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name               TEXT NOT NULL DEFAULT '',
	token_hash         TEXT NOT NULL UNIQUE,
	created_at         TIMESTAMP NOT NULL,
	last_used_at       TIMESTAMP,
	revoked_at         TIMESTAMP
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);

-- One row per municipality and day once the daily digest is scheduled: the
-- primary key makes scheduling idempotent across restarts and instances.
CREATE TABLE visit_digest_runs (
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	day                TEXT NOT NULL,               -- YYYY-MM-DD, Japan time
	status             TEXT NOT NULL CHECK (status IN ('scheduled','queued')),
	job_id             INTEGER,
	mails              INTEGER NOT NULL DEFAULT 0,
	created_at         TIMESTAMP NOT NULL,
	queued_at          TIMESTAMP,
	PRIMARY KEY (municipality_code, day)
);
