-- Networks where counted figures with no account and figures of a named account cover the same
-- days: they are added up, which counts twice if they are in fact the same account.
-- Returns: platform, accounts (the named accounts concerned, sorted).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
WITH spans AS (
    SELECT platform, account, min(period_start) AS first, max(period_end) AS last,
        bool_or(views IS NOT NULL) AS has_views,
        bool_or(reactions IS NOT NULL) AS has_reactions,
        bool_or(engagements IS NOT NULL) AS has_engagements
    FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
    WHERE period_start IS NOT NULL
    GROUP BY platform, account
)
SELECT b.platform, list(DISTINCT n.account ORDER BY n.account) AS accounts
FROM spans AS b
JOIN spans AS n
  ON n.platform = b.platform AND b.account = '' AND n.account <> ''
 AND b.first <= n.last AND n.first <= b.last
 AND ((b.has_views AND n.has_views) OR (b.has_reactions AND n.has_reactions)
      OR (b.has_engagements AND n.has_engagements))
GROUP BY b.platform
ORDER BY b.platform;
