-- Follower figures per platform, account and dated period, for the follower evolution chart.
-- followers_total is a level (a count on that date), never a sum; followers_gained and
-- followers_lost are flows and add up.
-- Returns: platform, account, period_start, period_end, followers_total, followers_gained,
-- followers_lost, rows.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT
    platform,
    account,
    period_start,
    period_end,
    max(followers_total)  AS followers_total,
    sum(followers_gained) AS followers_gained,
    sum(followers_lost)   AS followers_lost,
    sum(rows)             AS rows
FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
WHERE period_start IS NOT NULL
  AND coalesce(followers_total, followers_gained, followers_lost) IS NOT NULL
GROUP BY platform, account, period_start, period_end
ORDER BY platform, account, period_start, period_end;
