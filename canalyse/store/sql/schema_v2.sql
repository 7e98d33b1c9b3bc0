-- Workspace schema, version 2: column mappings the user made for layouts Canalyse did not know,
-- remembered for files with the same header.
CREATE TABLE column_mappings (
    signature  VARCHAR PRIMARY KEY,   -- the folded header row, cells joined by '|'
    mapping    VARCHAR NOT NULL,      -- JSON: platform, grain, date, key, title, account, metrics
    created_at TIMESTAMP NOT NULL
);
