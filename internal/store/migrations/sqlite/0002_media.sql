-- Uploaded images, cached PR report PDFs, and generated files (booklets).

-- Images as uploaded and cleaned (re-encoded, metadata stripped); the id is
-- the SHA-256 of the clean bytes, so the same picture is stored once.
CREATE TABLE images (
	id                 TEXT NOT NULL,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER REFERENCES organizations(id),
	format             TEXT NOT NULL CHECK (format IN ('jpeg','png')),
	width              INTEGER NOT NULL,
	height             INTEGER NOT NULL,
	bytes              BLOB NOT NULL,
	created_by         TEXT NOT NULL,
	created_at         TIMESTAMP NOT NULL,
	PRIMARY KEY (municipality_code, id)
);

-- The PR report of an organization's published profile; profile_hash says
-- which version it was made from, so a changed profile makes a new one.
CREATE TABLE report_cache (
	organization_id  INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
	profile_hash     TEXT NOT NULL,
	pdf              BLOB NOT NULL,
	created_at       TIMESTAMP NOT NULL
);

-- Files made by background jobs (booklets, large exports) for staff to download.
CREATE TABLE files (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	job_id             INTEGER REFERENCES jobs(id),
	kind               TEXT NOT NULL,
	name               TEXT NOT NULL,
	content_type       TEXT NOT NULL,
	bytes              BLOB NOT NULL,
	size               INTEGER NOT NULL,
	created_by         TEXT NOT NULL,
	created_at         TIMESTAMP NOT NULL
);
CREATE INDEX files_municipality ON files (municipality_code, id);
