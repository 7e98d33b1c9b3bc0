-- Views per platform and each platform's share of all views, largest first.
-- Returns: platform, views, share_of_views (a fraction of the views of the platforms that report views).
-- Platforms that report no views (Bluesky, Mastodon) are left out: they have no share to show.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
WITH per_platform AS (
    SELECT platform, sum(views) AS views
    FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
    GROUP BY platform
)
SELECT platform, views, views / sum(views) OVER () AS share_of_views
FROM per_platform
WHERE views IS NOT NULL
ORDER BY views DESC, platform;
