-- Views per platform and calendar month, for the slide deck's trend chart.
-- A day row or a post counts in the month of its date; a dated period (a hand-typed month) counts in
-- its month when it lies inside one calendar month. A period spanning several months cannot be
-- placed in one month without inventing how it splits, and an undated campaign summary has no
-- month: both are left out.
-- Returns: platform, month (DATE, the first day of the month), views.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR or NULL).
SELECT
    platform,
    CAST(date_trunc('month', period_start) AS DATE) AS month,
    sum(views) AS views
FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
WHERE period_start IS NOT NULL
  AND views IS NOT NULL
  AND date_trunc('month', period_start) = date_trunc('month', period_end)
GROUP BY ALL
ORDER BY month, platform;
