-- Every canonical metric totalled per platform, with the period covered and where it came from.
-- Returns: platform, rows, sources, date_min, date_max, one column per canonical metric
-- (followers_total is the latest known level, not a sum), share_of_views.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR or NULL).
WITH f AS (
    SELECT * FROM filtered_facts($start, $end, $platforms, $campaign, $accounts)
),
totals AS (
    SELECT
        platform,
        count(*)                                     AS rows,
        count(DISTINCT source_id)                    AS sources,
        min(period_start)                            AS date_min,
        max(period_end)                              AS date_max,
        sum(views)                                   AS views,
        sum(reach)                                   AS reach,
        sum(impressions)                             AS impressions,
        sum(reactions)                               AS reactions,
        sum(comments)                                AS comments,
        sum(shares)                                  AS shares,
        sum(saves)                                   AS saves,
        sum(clicks)                                  AS clicks,
        sum(link_clicks)                             AS link_clicks,
        sum(video_views)                             AS video_views,
        sum(watch_time_hours)                        AS watch_time_hours,
        sum(engagements)                             AS engagements,
        sum(followers_gained)                        AS followers_gained,
        sum(followers_lost)                          AS followers_lost,
        arg_max(followers_total, coalesce(period_end, DATE '1970-01-01'))
            FILTER (WHERE followers_total IS NOT NULL) AS followers_total,
        sum(profile_visits)                          AS profile_visits,
        sum(spend)                                   AS spend,
        sum(staff_hours)                             AS staff_hours
    FROM f
    GROUP BY platform
)
SELECT *, views / sum(views) OVER () AS share_of_views
FROM totals
ORDER BY views DESC NULLS LAST, platform;
