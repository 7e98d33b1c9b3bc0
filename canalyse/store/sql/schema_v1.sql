-- Workspace schema, version 1: what was imported (sources, source_tables) and the figures (facts).
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE SEQUENCE source_ids START 1;

-- One row per imported file.
CREATE TABLE sources (
    source_id    INTEGER PRIMARY KEY,
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL UNIQUE,
    platform     VARCHAR,            -- NULL when the file holds several platforms
    layout       VARCHAR NOT NULL,   -- the recognised layout (several joined by ", ")
    campaign     VARCHAR,            -- the campaign tag given at import, if any
    imported_at  TIMESTAMP NOT NULL,
    rows         INTEGER NOT NULL,
    date_min     DATE,
    date_max     DATE
);

-- One row per table inside a file (a CSV is one table; a workbook has one per sheet; a zip one per entry).
CREATE TABLE source_tables (
    source_id  INTEGER NOT NULL,
    table_no   INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    layout     VARCHAR NOT NULL,
    platform   VARCHAR,
    grain      VARCHAR NOT NULL,
    rows       INTEGER NOT NULL,
    date_min   DATE,
    date_max   DATE,
    PRIMARY KEY (source_id, table_no)
);

-- One row per figure line: a post, a day of an account, or a period (a month, a campaign).
-- A day or a post has period_start = period_end; an undated campaign summary has both NULL.
-- fact_key identifies the same post/day/period across imports: the most recent import wins.
CREATE TABLE facts (
    source_id        INTEGER NOT NULL,
    table_no         INTEGER NOT NULL,
    platform         VARCHAR NOT NULL,
    account          VARCHAR NOT NULL,
    grain            VARCHAR NOT NULL CHECK (grain IN ('post', 'day', 'period')),
    period_start     DATE,
    period_end       DATE,
    item_key         VARCHAR,
    title            VARCHAR,
    campaign         VARCHAR NOT NULL,
    fact_key         VARCHAR NOT NULL,
    views            DOUBLE,
    reach            DOUBLE,
    impressions      DOUBLE,
    reactions        DOUBLE,
    comments         DOUBLE,
    shares           DOUBLE,
    saves            DOUBLE,
    clicks           DOUBLE,
    link_clicks      DOUBLE,
    video_views      DOUBLE,
    watch_time_hours DOUBLE,
    engagements      DOUBLE,
    followers_gained DOUBLE,
    followers_lost   DOUBLE,
    followers_total  DOUBLE,
    profile_visits   DOUBLE,
    spend            DOUBLE,
    staff_hours      DOUBLE
);
