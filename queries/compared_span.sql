-- The first and last day of the compared campaigns' counted figures, all campaigns together, and how
-- many undated summary lines they count (in one pass rather than one `overview` per campaign).
-- Returns: date_min, date_max, undated_rows (one line).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaigns
-- (VARCHAR[]: the compared campaigns; NULL: every figure, as without a campaign filter).
SELECT
    min(f.period_start)                                           AS date_min,
    max(f.period_end)                                             AS date_max,
    coalesce(sum(f.rows) FILTER (WHERE f.period_start IS NULL), 0) AS undated_rows
FROM unnest(coalesce($campaigns, [NULL::VARCHAR])) AS c(name),
    LATERAL (SELECT * FROM filtered_figures($start, $end, $platforms, c.name, $accounts)) AS f;
