-- One line summing up the filtered workspace (counted figures only).
-- Returns: total_views, platforms (count of platforms with any figure), platforms_with_views,
-- date_min, date_max, undated_rows (campaign summary lines without a period).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT
    sum(views)                                                AS total_views,
    count(DISTINCT platform)                                  AS platforms,
    count(DISTINCT platform) FILTER (WHERE views IS NOT NULL) AS platforms_with_views,
    min(period_start)                                         AS date_min,
    max(period_end)                                           AS date_max,
    coalesce(sum(rows) FILTER (WHERE period_start IS NULL), 0) AS undated_rows
FROM filtered_figures($start, $end, $platforms, $campaign, $accounts);
