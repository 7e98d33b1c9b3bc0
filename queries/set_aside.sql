-- The figures the counting rules set aside because another figure already counts them, with why.
-- Returns: platform, account, kind (as in figures_by_grain), reason (days_cover_period: a period
-- whose days all come as a day series; inside_period: days, posts or a shorter period inside a kept
-- period; account_days: posts or content days on days the account's own day series gives;
-- content_days: posts on days a per-content day series gives), rows, views, date_min, date_max.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT platform, account, kind, reason, sum(rows) AS rows, sum(views) AS views,
    min(period_start) AS date_min, max(period_end) AS date_max
FROM filtered_set_aside($start, $end, $platforms, $campaign, $accounts)
GROUP BY ALL
ORDER BY platform, account, reason, kind;
