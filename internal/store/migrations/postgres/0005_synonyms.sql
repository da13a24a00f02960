-- A municipality's own words for the matching engine (社内用語, 地域の呼び方):
-- each canonical term with the variants that mean it.
CREATE TABLE synonyms (
	municipality_code  TEXT NOT NULL REFERENCES municipalities(code),
	canonical          TEXT NOT NULL,
	variants           JSONB NOT NULL,  -- array of strings
	kind               TEXT NOT NULL DEFAULT '',
	updated_by         TEXT NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (municipality_code, canonical)
);
