-- Views per platform and dated period, the raw material of every time chart (bucketed by day, ISO
-- week or month in canalyse/trends.py, which decides what fits a bucket and says what does not).
-- A day row and a post count on their date (period_start = period_end); a month or any other dated
-- period keeps both ends. Undated campaign summaries never reach a time chart: they are left out.
-- Returns: platform, period_start, period_end, views (the sum over rows with a figure), rows.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT platform, period_start, period_end, sum(views) AS views, sum(rows) AS rows
FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
WHERE period_start IS NOT NULL AND views IS NOT NULL
GROUP BY platform, period_start, period_end
ORDER BY platform, period_start, period_end;
