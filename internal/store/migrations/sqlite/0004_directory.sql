-- The public directory (市内企業紹介サイト): organizations staff feature on the
-- home page, and inquiries visitors send to companies and labs.

ALTER TABLE organizations ADD COLUMN featured BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE inquiries (
	id                 INTEGER PRIMARY KEY,
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	organization_id    INTEGER NOT NULL REFERENCES organizations(id),
	sender_name        TEXT NOT NULL,
	sender_company     TEXT NOT NULL DEFAULT '',
	sender_email       TEXT NOT NULL,
	sender_phone       TEXT NOT NULL DEFAULT '',
	subject            TEXT NOT NULL,
	body               TEXT NOT NULL,
	lang               TEXT NOT NULL DEFAULT 'ja',
	ip                 TEXT NOT NULL DEFAULT '',
	to_job_id          INTEGER REFERENCES jobs(id),  -- mail to the organization's contact
	copy_job_id        INTEGER REFERENCES jobs(id),  -- copy to the city's staff inbox
	created_at         TIMESTAMP NOT NULL
);
CREATE INDEX inquiries_municipality ON inquiries (municipality_code, id);
CREATE INDEX inquiries_organization ON inquiries (organization_id, id);
CREATE INDEX inquiries_ip ON inquiries (ip, created_at);
CREATE INDEX inquiries_email ON inquiries (sender_email, created_at);
