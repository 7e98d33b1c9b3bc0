-- Every canonical metric totalled per platform, with the period covered.
-- Returns: platform, rows (figure lines counted), date_min, date_max, one column per canonical metric
-- (a level such as followers_total is each account's latest value, added up over the accounts),
-- share_of_views, largest views first.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT *, views / sum(views) OVER () AS share_of_views
FROM platform_figures($start, $end, $platforms, $campaign, $accounts)
ORDER BY views DESC NULLS LAST, platform;
