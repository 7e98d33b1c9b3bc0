-- Which kind of rows fed each platform's figures once the no-double-counting rule has applied.
-- Returns: platform, source_kind ('day' account-level day series, 'content_day' per-content day
-- series, 'post' posts by publish date, 'period' months or campaign summaries), rows, views.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR or NULL).
SELECT
    platform,
    CASE WHEN grain = 'day' AND item_key IS NOT NULL THEN 'content_day' ELSE grain END AS source_kind,
    count(*) AS rows,
    sum(views) AS views
FROM filtered_facts($start, $end, $platforms, $campaign, $accounts)
WHERE coalesce(views, reach, impressions, reactions, comments, shares, saves, clicks, link_clicks,
               video_views, watch_time_hours, engagements, followers_gained, followers_lost,
               followers_total, profile_visits, spend, staff_hours) IS NOT NULL
GROUP BY ALL
ORDER BY platform, source_kind;
