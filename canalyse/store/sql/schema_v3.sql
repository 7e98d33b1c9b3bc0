-- Workspace schema, version 3: what turns views into return on investment, and what dates mean.

-- Workspace settings (the default loaded hourly staff cost, in euros).
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

-- A loaded hourly staff cost for one platform, overriding the workspace default.
CREATE TABLE hourly_costs (platform VARCHAR PRIMARY KEY, cost DOUBLE NOT NULL CHECK (cost >= 0));

-- Dated markers drawn on every time chart (« Arrêt de X — 20/01/2025 »).
CREATE SEQUENCE event_ids START 1;
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY,
    day      DATE NOT NULL,
    label    VARCHAR NOT NULL
);

-- A campaign defined by a date range: every dated figure inside it belongs to the campaign.
CREATE TABLE campaign_ranges (
    name        VARCHAR PRIMARY KEY,
    range_start DATE NOT NULL,
    range_end   DATE NOT NULL,
    CHECK (range_start <= range_end)
);
