-- Workspace schema, version 5: who may use the workspace, and who did what.

-- Who imported each file (the signed-in user, or the system user and program for the command line).
ALTER TABLE sources ADD COLUMN imported_by VARCHAR;

-- The people who may open this workspace on a team server with sign-in: viewers read, editors
-- also import, delete and save answers. Without sign-in (one person's computer) nobody is listed.
CREATE TABLE members (
    email    VARCHAR PRIMARY KEY,   -- as the identity provider gives it, in lower case
    role     VARCHAR NOT NULL CHECK (role IN ('viewer', 'editor')),
    added_at TIMESTAMP NOT NULL,
    added_by VARCHAR NOT NULL
);

-- What changed the workspace besides imports (deletions, saved answers, restores), by whom and when.
CREATE SEQUENCE activity_ids START 1;
CREATE TABLE activity (
    activity_id INTEGER PRIMARY KEY,
    done_at     TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,   -- 'import', 'delete', 'answers', 'weights', 'costs', 'members'
    detail      VARCHAR NOT NULL
);
