-- Derived views and macros, recreated each time a workspace opens (they hold no data).

-- The current value of every figure: for each fact_key and each metric, the most recent import
-- that gave that metric a value wins. So overlapping exports count once, a corrected file replaces
-- the figures it repeats, and a separate hours file adds staff hours without erasing views.
CREATE OR REPLACE VIEW facts_current AS
SELECT
    fact_key,
    arg_max(platform, source_id)                                          AS platform,
    arg_max(account, source_id)                                           AS account,
    arg_max(grain, source_id)                                             AS grain,
    arg_max(period_start, source_id)                                      AS period_start,
    arg_max(period_end, source_id)                                        AS period_end,
    arg_max(item_key, source_id)                                          AS item_key,
    arg_max(title, source_id)                                             AS title,
    arg_max(campaign, source_id)                                          AS campaign,
    max(source_id)                                                        AS source_id,
    arg_max(views, source_id) FILTER (WHERE views IS NOT NULL)            AS views,
    arg_max(reach, source_id) FILTER (WHERE reach IS NOT NULL)            AS reach,
    arg_max(impressions, source_id) FILTER (WHERE impressions IS NOT NULL) AS impressions,
    arg_max(reactions, source_id) FILTER (WHERE reactions IS NOT NULL)    AS reactions,
    arg_max(comments, source_id) FILTER (WHERE comments IS NOT NULL)      AS comments,
    arg_max(shares, source_id) FILTER (WHERE shares IS NOT NULL)          AS shares,
    arg_max(saves, source_id) FILTER (WHERE saves IS NOT NULL)            AS saves,
    arg_max(clicks, source_id) FILTER (WHERE clicks IS NOT NULL)          AS clicks,
    arg_max(link_clicks, source_id) FILTER (WHERE link_clicks IS NOT NULL) AS link_clicks,
    arg_max(video_views, source_id) FILTER (WHERE video_views IS NOT NULL) AS video_views,
    arg_max(watch_time_hours, source_id) FILTER (WHERE watch_time_hours IS NOT NULL)
                                                                          AS watch_time_hours,
    arg_max(engagements, source_id) FILTER (WHERE engagements IS NOT NULL) AS engagements,
    arg_max(followers_gained, source_id) FILTER (WHERE followers_gained IS NOT NULL)
                                                                          AS followers_gained,
    arg_max(followers_lost, source_id) FILTER (WHERE followers_lost IS NOT NULL)
                                                                          AS followers_lost,
    arg_max(followers_total, source_id) FILTER (WHERE followers_total IS NOT NULL)
                                                                          AS followers_total,
    arg_max(profile_visits, source_id) FILTER (WHERE profile_visits IS NOT NULL)
                                                                          AS profile_visits,
    arg_max(spend, source_id) FILTER (WHERE spend IS NOT NULL)            AS spend,
    arg_max(staff_hours, source_id) FILTER (WHERE staff_hours IS NOT NULL) AS staff_hours
FROM facts
GROUP BY fact_key;

-- The figures a report uses, after the shared filters. A NULL parameter means "no filter".
-- A dated row counts when it lies entirely inside [start, end]; an undated campaign summary only
-- when no period is asked for, since nobody can tell which part of it falls inside.
CREATE OR REPLACE MACRO filtered_facts(p_start, p_end, p_platforms, p_campaign) AS TABLE
SELECT *
FROM facts_current
WHERE (p_start IS NULL OR period_start >= p_start)
  AND (p_end IS NULL OR period_end <= p_end)
  AND (p_platforms IS NULL OR list_contains(p_platforms, platform))
  AND (p_campaign IS NULL OR campaign = p_campaign);
