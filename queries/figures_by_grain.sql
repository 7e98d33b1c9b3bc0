-- Which kinds of rows fed each platform's counted figures.
-- Returns: platform, source_kind ('day' account-level day series, 'content_day' per-content day
-- series, 'post' posts by publish date, 'period' dated periods such as typed months, 'undated'
-- campaign summaries without dates), rows, views.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT platform, kind AS source_kind, sum(rows) AS rows, sum(views) AS views
FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
GROUP BY ALL
ORDER BY platform, source_kind;
